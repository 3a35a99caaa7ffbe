/**
 * A mock of the Anthropic Messages API on real HTTP (node:http, 127.0.0.1): `POST /v1/messages` with
 * Anthropic's headers, error bodies and SSE event sequence. Deterministic echo like the OpenAI mock; text
 * blocks marked `cache_control` are counted as cache writes the first time and cache reads after;
 * `[mock:error=STATUS(:retry-after=S)]` in the last user text injects an Anthropic error, `[mock:latency=MS]`
 * delays the answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { errorBody, errorType, messageBody, planMessages, streamEvents, type AnthropicError } from "./messages";
import { headersOf, listenMock, readBodyWithin, sleep, type RecordedRequest, type VendorMockHandle } from "../node-http";

export type AnthropicMockRequest = RecordedRequest;

export type AnthropicMockHandle = VendorMockHandle;

async function readTextWithin(req: IncomingMessage, max: number): Promise<string | null> {
  return (await readBodyWithin(req, max))?.toString("utf8") ?? null;
}

const MAX_BODY = 32 * 1024 * 1024;



function sendError(res: ServerResponse, requestId: string, e: AnthropicError): void {
  res.writeHead(e.status, { "content-type": "application/json", "request-id": requestId, ...e.headers });
  res.end(errorBody(e.type, e.message, requestId));
}

function injected(status: number, retryAfter: string | undefined, now: number): AnthropicError {
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) headers["retry-after"] = retryAfter;
  if (status === 429) {
    headers["anthropic-ratelimit-requests-limit"] = "50";
    headers["anthropic-ratelimit-requests-remaining"] = "0";
    headers["anthropic-ratelimit-requests-reset"] = new Date(now + Number(retryAfter ?? "1") * 1000).toISOString();
  }
  return { status, type: errorType(status), message: `Injected error ${status} (mock).`, headers };
}

/** Start the Anthropic mock. Port 0 picks a free port. */
export async function startAnthropicMock(opts: { port?: number; latencyMs?: number } = {}): Promise<AnthropicMockHandle> {
  let last: AnthropicMockRequest | null = null;
  let seq = 0;
  let toolSeq = 0;
  const cachedPrefixes = new Set<string>();
  const promptCache = (key: string): boolean => cachedPrefixes.has(key) || (cachedPrefixes.add(key), false);
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, "req_mock_err", { status: 500, type: "api_error", message: String(err), headers: {} });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `req_mock_${++seq}`;
    const headers = headersOf(req);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const raw = await readTextWithin(req, MAX_BODY);
    let body: unknown = raw ?? undefined;
    try {
      body = raw === null || raw === "" ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      // keep the raw text
    }
    last = { method: req.method ?? "", path, headers, body };
    const fail = (status: number, type: string, message: string): void => sendError(res, requestId, { status, type, message, headers: {} });
    if (path !== "/v1/messages" || req.method !== "POST") return fail(404, "not_found_error", `Not found: ${req.method} ${path}`);
    if (raw === null) return fail(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.");
    if (headers["x-api-key"] === undefined && headers["authorization"] === undefined) {
      return fail(401, "authentication_error", "x-api-key header is required");
    }
    if (headers["anthropic-version"] === undefined) return fail(400, "invalid_request_error", "anthropic-version: header is required");
    if (typeof body !== "object" || body === null) return fail(400, "invalid_request_error", "There was an error parsing the body as JSON.");
    const plan = planMessages(body, `msg_mock_${seq}`, () => `toolu_mock_${++toolSeq}`, promptCache);
    if ("status" in plan) return sendError(res, requestId, plan);
    const latency = (opts.latencyMs ?? 0) + (plan.directives.latencyMs ?? 0);
    if (latency > 0) await sleep(latency);
    const error = plan.directives.error;
    if (error !== undefined) return sendError(res, requestId, injected(error.status, error.retryAfter, Date.now()));
    const common = { "request-id": requestId, "anthropic-ratelimit-requests-limit": "1000", "anthropic-ratelimit-requests-remaining": "999" };
    if ((body as Record<string, unknown>)["stream"] !== true) {
      res.writeHead(200, { "content-type": "application/json", ...common });
      res.end(JSON.stringify(messageBody(plan)));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", ...common });
    for (const ev of streamEvents(plan)) {
      if (res.destroyed) return;
      res.write(ev);
      if (plan.directives.chunkDelayMs) await sleep(plan.directives.chunkDelayMs);
    }
    res.end();
  }

  return listenMock(server, opts.port, () => last);
}
