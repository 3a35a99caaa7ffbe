/**
 * Mock AWS Bedrock Runtime (Converse / ConverseStream) on node:http, with Bedrock's real wire format:
 * SigV4 verified with @smithy/signature-v4 (403 InvalidSignatureException when wrong) or a Bedrock API key
 * as bearer, `x-amzn-ErrorType` errors, and binary event-stream framing for streams. Behaviour matches the
 * OpenAI mock: "echo: " + last user text, tool calls on `call <name>`, `[mock:…]` directives
 * (latency, words, error, chunk-delay, hang, close-mid-stream). Bedrock-only directive:
 * `[bedrock:stream-exception=throttlingException]` sends that exception after the first text delta.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseDirectives, type MockDirectives } from "../directives";
import { checkConverse, converseResponse, lastUserText, planConverse } from "./converse";
import { invoke } from "./invoke";
import { errorBody, errorHeaders, injectedError, validation, type BedrockMockError } from "./errors";
import { exceptionFrame, planFrames } from "./event-stream";
import { verifySigV4, type MockCredentials } from "./verify";
import { headersOf, listenMock, readBody, sleep, type RecordedRequest, type VendorMockHandle } from "../node-http";

export const MOCK_BEDROCK_REGION = "us-east-1";
export const MOCK_BEDROCK_CREDENTIALS: MockCredentials = Object.freeze({ accessKeyId: "AKIDMOCKBEDROCK", secretAccessKey: "mock-bedrock-secret-key" });
export const MOCK_BEDROCK_API_KEY = "ABSK-mock-bedrock-api-key";

export interface BedrockMockOptions {
  port?: number;
  latencyMs?: number;
  region?: string;
  credentials?: MockCredentials;
  apiKey?: string;
}

export type BedrockMockRequest = RecordedRequest;

export type BedrockMockHandle = VendorMockHandle;

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;
const STREAM_EXCEPTION = /\[bedrock:stream-exception=([A-Za-z]+)\]/;



export async function startBedrockMock(opts: BedrockMockOptions = {}): Promise<BedrockMockHandle> {
  const region = opts.region ?? MOCK_BEDROCK_REGION;
  const credentials = opts.credentials ?? MOCK_BEDROCK_CREDENTIALS;
  const apiKey = opts.apiKey ?? MOCK_BEDROCK_API_KEY;
  let last: BedrockMockRequest | null = null;
  let seq = 0;
  let toolSeq = 0;

  const fail = (res: ServerResponse, e: BedrockMockError, requestId: string): void => {
    res.writeHead(e.status, errorHeaders(e, requestId)).end(errorBody(e));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `mock-bedrock-req-${++seq}`;
    const raw = await readBody(req);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const headers = headersOf(req);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : undefined;
    } catch {
      body = raw.toString("utf8");
    }
    last = { method: req.method ?? "", path, headers, body };
    const route = ROUTE.exec(path);
    if (req.method !== "POST" || route === null) return fail(res, { status: 404, name: "UnknownOperationException", message: "Unknown operation." }, requestId);
    const auth = headers["authorization"] ?? "";
    if (auth.startsWith("Bearer ")) {
      if (auth.slice(7) !== apiKey) return fail(res, { status: 403, name: "UnrecognizedClientException", message: "Invalid API Key format: Must start with pre-defined prefix" }, requestId);
    } else {
      const problem = await verifySigV4({ method: "POST", path, headers, body: raw }, credentials, region, Date.now());
      if (problem !== null) return fail(res, problem, requestId);
    }
    if (route[2] === "invoke") {
      const answer = await invoke(decodeURIComponent(route[1] as string), body, opts.latencyMs ?? 0);
      if ("name" in answer) return fail(res, answer, requestId);
      res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": requestId, ...answer.headers }).end(JSON.stringify(answer.body));
      return;
    }
    const invalid = checkConverse(body);
    if (invalid !== null) return fail(res, validation(invalid), requestId);
    const json = body as Record<string, unknown>;
    const rawText = lastUserText(json);
    const exception = STREAM_EXCEPTION.exec(rawText)?.[1];
    const parsed = parseDirectives(rawText.replace(STREAM_EXCEPTION, " "));
    if (parsed.invalid.length > 0) return fail(res, validation(`Unknown mock directive(s): ${parsed.invalid.join(", ")}`), requestId);
    const d = parsed.directives;
    await sleep((opts.latencyMs ?? 0) + (d.latencyMs ?? 0));
    if (d.hang) return; // never answer; the client gives up
    if (d.error !== undefined) return fail(res, injectedError(d.error.status), requestId);
    const plan = planConverse(json, parsed.text, d.words, () => `tooluse_mock_${++toolSeq}`);
    if (route[2] === "converse") {
      res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": requestId }).end(JSON.stringify(converseResponse(plan)));
      return;
    }
    await stream(res, planFrames(plan, `mockpad${seq}`), d, exception, requestId);
  }

  async function stream(res: ServerResponse, frames: Uint8Array[], d: MockDirectives, exception: string | undefined, requestId: string): Promise<void> {
    res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": requestId });
    if (exception !== undefined) frames.splice(2, frames.length - 2, exceptionFrame(exception, `${exception} (injected by mock).`));
    for (let i = 0; i < frames.length; i++) {
      if (d.closeMidStream !== undefined && i >= d.closeMidStream) {
        res.destroy();
        return;
      }
      res.write(frames[i]);
      if (d.chunkDelayMs !== undefined) await sleep(d.chunkDelayMs);
    }
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) fail(res, { status: 500, name: "InternalServerException", message: String(err) }, "mock-bedrock-error");
      else res.destroy();
    });
  });
  return listenMock(server, opts.port, () => last);
}
