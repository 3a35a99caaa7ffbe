/**
 * A mock of Azure OpenAI chat completions on real HTTP (node:http, 127.0.0.1), both URL forms:
 * `POST /openai/deployments/{deployment}/chat/completions?api-version=…` (api-version required) and
 * `POST /openai/v1/chat/completions` (`model` = deployment). Auth: `api-key` header or `Authorization: Bearer`.
 * Deterministic echo as the OpenAI mock; `[mock:error=STATUS(:retry-after=S)]` and `[mock:latency=MS]` apply.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { lastUserMessage, parseChatRequest } from "../chat-request";
import { planCompletion } from "../completion";
import { parseDirectives } from "../directives";
import { embeddingsResponse, parseEmbeddingsRequest, planVendorEmbeddings } from "../embeddings";
import { contentText } from "../usage";
import { azureCompletion, azureError, azureStreamFrames, injectedAzureError, type AzureError } from "./responses";
import { headersOf, listenMock, readText, sleep, type RecordedRequest, type VendorMockHandle } from "../node-http";

export type MockRequest = RecordedRequest;

export type AzureMockHandle = VendorMockHandle;

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;
const V1_PATH = /^\/openai\/v1\/(chat\/completions|embeddings)$/;

type Operation = "chat" | "embeddings";
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;



function send(res: ServerResponse, e: AzureError, requestId: string): void {
  res.writeHead(e.status, { "content-type": "application/json", "apim-request-id": requestId, ...e.headers });
  res.end(JSON.stringify(e.body));
}

/** Which deployment a request addresses, or the Azure error for a bad route / api-version / key. */
function route(url: URL, headers: Record<string, string>, body: unknown): { deployment: string; op: Operation } | AzureError {
  const key = headers["api-key"];
  const bearer = headers["authorization"]?.startsWith("Bearer ") ? headers["authorization"].slice(7) : "";
  if ((key === undefined || key === "") && bearer === "") {
    return azureError(401, "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.");
  }
  const v1 = V1_PATH.exec(url.pathname);
  if (v1 !== null) {
    const model = (body as { model?: unknown } | null)?.model;
    const op: Operation = v1[1] === "embeddings" ? "embeddings" : "chat";
    return typeof model === "string" && model !== "" ? { deployment: model, op } : azureError(400, "model is required", "BadRequest");
  }
  const m = DEPLOYMENT_PATH.exec(url.pathname);
  if (m === null) return azureError(404, "Resource not found", "404");
  const version = url.searchParams.get("api-version");
  if (version === null) return azureError(404, "Resource not found", "404");
  if (!API_VERSION.test(version)) return azureError(400, `Unsupported api-version '${version}'.`, "BadRequest");
  return { deployment: decodeURIComponent(m[1] as string), op: m[2] === "embeddings" ? "embeddings" : "chat" };
}

async function handle(req: IncomingMessage, res: ServerResponse, seq: number, record: (r: MockRequest) => void, latencyMs: number): Promise<void> {
  const url = new URL(req.url ?? "/", "http://mock");
  const headers = headersOf(req);
  const raw = await readText(req);
  let body: unknown = raw;
  try {
    body = JSON.parse(raw);
  } catch {
    /* recorded as text */
  }
  record({ method: req.method ?? "", path: url.pathname + url.search, headers, body });
  const requestId = `apim-mock-${seq}`;
  if (req.method !== "POST") return send(res, azureError(405, "Method not allowed", "405"), requestId);
  const target = route(url, headers, body);
  if ("status" in target) return send(res, target, requestId);
  if (target.op === "embeddings") return embeddings(res, body, target.deployment, requestId, latencyMs);
  // Dated routes ignore the body's model (the deployment is in the path); the plan needs one.
  const parsed = parseChatRequest(typeof body === "object" && body !== null ? { ...body, model: target.deployment } : body);
  if (!parsed.ok) return send(res, azureError(400, parsed.error.message, "BadRequest"), requestId);
  const last = lastUserMessage(parsed.value.messages);
  const { text, directives, invalid } = parseDirectives(last ? contentText(last.content) : "");
  if (invalid.length > 0) return send(res, azureError(400, `Unknown mock directive(s): ${invalid.join(" ")}`, "BadRequest"), requestId);
  await sleep(directives.latencyMs ?? latencyMs);
  if (directives.error) return send(res, injectedAzureError(directives.error.status, directives.error.retryAfter), requestId);
  let calls = 0;
  const plan = planCompletion({ request: parsed.value, userText: text, id: `chatcmpl-azmock${seq}`, created: Math.floor(Date.now() / 1000), nextToolCallId: () => `call_az${seq}_${++calls}` });
  if (!parsed.value.stream) {
    res.writeHead(200, { "content-type": "application/json", "apim-request-id": requestId, "x-ratelimit-remaining-requests": "99", "x-ratelimit-remaining-tokens": "-1" });
    return void res.end(JSON.stringify(azureCompletion(plan)));
  }
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "apim-request-id": requestId });
  for (const frame of azureStreamFrames(plan, parsed.value.includeUsage)) res.write(frame);
  res.end();
}

/** OpenAI embeddings wire format (the OpenAI mock's), vectors named after the deployment; directives per input. */
async function embeddings(res: ServerResponse, body: unknown, deployment: string, requestId: string, latencyMs: number): Promise<void> {
  const parsed = parseEmbeddingsRequest(typeof body === "object" && body !== null ? { ...body, model: deployment } : body);
  if (!parsed.ok) return send(res, azureError(400, parsed.error.message, "BadRequest"), requestId);
  const plan = planVendorEmbeddings(parsed.value.inputs.map((i) => (typeof i === "string" ? i : JSON.stringify(i))));
  if (plan.invalid.length > 0) return send(res, azureError(400, `Unknown mock directive(s): ${plan.invalid.join(" ")}`, "BadRequest"), requestId);
  await sleep(plan.latencyMs || latencyMs);
  if (plan.error) return send(res, injectedAzureError(plan.error.status, plan.error.retryAfter), requestId);
  res.writeHead(200, { "content-type": "application/json", "apim-request-id": requestId });
  res.end(JSON.stringify(embeddingsResponse(parsed.value, plan.texts)));
}

export async function startAzureMock(opts: { port?: number; latencyMs?: number } = {}): Promise<AzureMockHandle> {
  let last: MockRequest | null = null;
  let seq = 0;
  const server = createServer((req, res) => {
    handle(req, res, ++seq, (r) => (last = r), opts.latencyMs ?? 0).catch((err: unknown) => {
      if (!res.headersSent) send(res, azureError(500, String(err), "InternalServerError"), "apim-mock-error");
      else res.destroy();
    });
  });
  return listenMock(server, opts.port, () => last);
}
