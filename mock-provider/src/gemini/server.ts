/**
 * Mock of the Google Gemini API and Vertex AI generateContent surfaces on node:http (real wire format:
 * google.rpc.Status error bodies, `data: …\r\n\r\n` SSE with `alt=sse` and no [DONE], a streamed JSON
 * array without it). Paths:
 *
 *   POST /{v1beta|v1}/models/{model}:generateContent | :streamGenerateContent   (x-goog-api-key or ?key=)
 *   POST /{v1|v1beta1}/projects/{p}/locations/{l}/publishers/google/models/{model}:…  (Bearer token)
 *   GET  /{v1beta|v1}/models
 *
 * Auth: a missing API key → 403 PERMISSION_DENIED; the key `invalid` → 400 API_KEY_INVALID; a missing
 * Bearer token on Vertex paths → 401 UNAUTHENTICATED. Behaviour follows the OpenAI mock (generate.ts),
 * with the same `[mock:…]` directives (error, latency, chunk-delay, words, hang, garbage,
 * close-mid-stream, stall-after). Models named `gemini-3*` enforce the thought-signature rule: a model
 * functionCall step in the current turn without `thoughtSignature` → 400 INVALID_ARGUMENT.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseDirectives, type MockDirectives } from "../directives";
import { apiKeyInvalid, injectedGoogleError, invalidArgument, notFound, unauthenticated, unregisteredCaller, type GoogleError } from "./errors";
import { fullResponse, isObject, lastUserText, missingSignature, planGenerate, streamChunks, type Json, type ResponseHead } from "./generate";
import { EMBED_METHODS, embed } from "./embed";
import { headersOf, listenMock, readText, sleep, type RecordedRequest, type VendorMockHandle } from "../node-http";

export type GeminiMockRequest = RecordedRequest;

export type GeminiMockHandle = VendorMockHandle;

const GEMINI_PATH = /^\/(v1beta|v1)\/models\/([A-Za-z0-9._@-]+):(generateContent|streamGenerateContent|batchEmbedContents|embedContent)$/;
const VERTEX_PATH = /^\/(v1|v1beta1)\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([A-Za-z0-9._@-]+):(generateContent|streamGenerateContent|predict)$/;
const MODELS_PATH = /^\/(v1beta|v1)\/models$/;
const MODELS = ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-3-pro-preview"];
const JSON_TYPE = "application/json; charset=UTF-8";

interface Route {
  dialect: "gemini" | "vertex";
  model: string;
  stream: boolean;
  method: string;
}

interface Env {
  latencyMs: number;
  nextId(): string;
}


function sendError(res: ServerResponse, e: GoogleError): void {
  res.writeHead(e.status, { "content-type": JSON_TYPE }).end(e.body);
}

function route(url: URL): Route | null {
  const g = GEMINI_PATH.exec(url.pathname);
  if (g !== null) return { dialect: "gemini", model: g[2] as string, stream: g[3] === "streamGenerateContent", method: g[3] as string };
  const v = VERTEX_PATH.exec(url.pathname);
  if (v !== null) return { dialect: "vertex", model: v[4] as string, stream: v[5] === "streamGenerateContent", method: v[5] as string };
  return null;
}

function authError(r: Route, req: IncomingMessage, url: URL): GoogleError | null {
  if (r.dialect === "vertex") return /^Bearer \S+/.test(req.headers.authorization ?? "") ? null : unauthenticated();
  const key = (req.headers["x-goog-api-key"] as string | undefined) ?? url.searchParams.get("key") ?? "";
  if (key === "") return unregisteredCaller();
  return key === "invalid" ? apiKeyInvalid() : null;
}


async function generate(env: Env, r: Route, url: URL, body: Json, res: ServerResponse): Promise<void> {
  const contents = body["contents"];
  if (!Array.isArray(contents) || contents.length === 0) return sendError(res, invalidArgument("* GenerateContentRequest.contents: contents is not specified"));
  const { text, directives: d, invalid } = parseDirectives(lastUserText(contents.filter(isObject)));
  if (invalid.length > 0) return sendError(res, invalidArgument(`Unknown or malformed mock directive(s): ${invalid.join(" ")}`));
  const latency = d.latencyMs ?? env.latencyMs;
  if (latency > 0) await sleep(latency);
  if (d.hang) return;
  if (d.error !== undefined) return sendError(res, injectedGoogleError(d.error.status, d.error.retryAfter));
  if (r.model.startsWith("gemini-3") && missingSignature(contents.filter(isObject))) {
    return sendError(res, invalidArgument("Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly."));
  }
  if (d.garbage) return void res.writeHead(200, { "content-type": r.stream ? "text/event-stream" : JSON_TYPE }).end("<html>this is not json {{{");
  const plan = planGenerate(body, text, d.words);
  const head: ResponseHead = { responseId: env.nextId(), modelVersion: r.model };
  if (r.dialect === "vertex") head.createTime = new Date().toISOString();
  if (!r.stream) return void res.writeHead(200, { "content-type": JSON_TYPE }).end(JSON.stringify(fullResponse(plan, head)));
  await writeStream(res, streamChunks(plan, head), url.searchParams.get("alt") === "sse", d);
}

async function writeStream(res: ServerResponse, chunks: Json[], sse: boolean, d: MockDirectives): Promise<void> {
  res.writeHead(200, { "content-type": sse ? "text/event-stream" : JSON_TYPE });
  if (!sse) res.write("[");
  for (let i = 0; i < chunks.length; i++) {
    if (d.closeMidStream !== undefined && i === d.closeMidStream) {
      await sleep(25); // let the events already written reach the client, then cut the connection
      return void res.destroy();
    }
    if (d.stallAfter !== undefined && i === d.stallAfter) return;
    if (i > 0 && d.chunkDelayMs !== undefined && d.chunkDelayMs > 0) await sleep(d.chunkDelayMs);
    if (res.destroyed) return;
    const json = JSON.stringify(chunks[i]);
    res.write(sse ? `data: ${json}\r\n\r\n` : `${i > 0 ? ",\r\n" : ""}${json}`);
  }
  res.end(sse ? undefined : "]");
}


/** Start the Gemini/Vertex mock on 127.0.0.1 (port 0 = a free port). */
export async function startGeminiMock(opts: { port?: number; latencyMs?: number } = {}): Promise<GeminiMockHandle> {
  let last: GeminiMockRequest | null = null;
  let seq = 0;
  const env: Env = { latencyMs: opts.latencyMs ?? 0, nextId: () => `mock-resp-${++seq}` };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    const info: GeminiMockRequest = { method: req.method ?? "GET", path: req.url ?? "/", headers: headersOf(req), body: null };
    last = info;
    void (async () => {
      const raw = await readText(req);
      if (raw !== "") {
        try {
          info.body = JSON.parse(raw) as unknown;
        } catch {
          info.body = raw;
        }
      }
      if (req.method === "GET" && MODELS_PATH.test(url.pathname)) {
        return void res.writeHead(200, { "content-type": JSON_TYPE }).end(JSON.stringify({ models: MODELS.map((m) => ({ name: `models/${m}`, displayName: m, supportedGenerationMethods: ["generateContent", "countTokens"] })) }));
      }
      const r = req.method === "POST" ? route(url) : null;
      if (r === null) return sendError(res, notFound(`${req.method ?? "GET"} ${url.pathname}`));
      const denied = authError(r, req, url);
      if (denied !== null) return sendError(res, denied);
      if (!isObject(info.body)) return sendError(res, invalidArgument(`Invalid JSON payload received. ${typeof info.body === "string" ? "Unexpected token." : "Empty body."}`));
      if (EMBED_METHODS.has(r.method)) return await embed(r, info.body, res, env.latencyMs);
      await generate(env, r, url, info.body, res);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": JSON_TYPE });
      res.end(JSON.stringify({ error: { code: 500, message: String(err), status: "INTERNAL" } }));
    });
  });
  return listenMock(server, opts.port, () => (last === null ? null : structuredClone(last)));
}
