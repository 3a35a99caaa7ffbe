/**
 * A mock of Cohere `POST /v2/chat` on real HTTP (node:http, 127.0.0.1): Bearer auth, Cohere response bodies,
 * the v2 SSE event types (with `event:` lines, ending in `data: [DONE]`) and `{"id","message"}` errors.
 * Deterministic echo as the OpenAI mock (usage formula of ../usage.ts, billed_units = tokens); tool calls
 * for `call <name>`; `[mock:error=STATUS(:retry-after=S)]` and `[mock:latency=MS]` apply.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { lastUserMessage, parseChatRequest } from "../chat-request";
import { planCompletion } from "../completion";
import { parseDirectives } from "../directives";
import { DEFAULT_DIMENSIONS, planVendorEmbeddings, vectorValues } from "../embeddings";
import { checkEmbed, cohereEmbedResponse } from "./embed";
import { contentText } from "../usage";
import { asOpenAiRequest, cohereError, cohereResponse, cohereStreamFrames, type CohereError } from "./responses";
import { headersOf, listenMock, readText, sleep, type RecordedRequest, type VendorMockHandle } from "../node-http";

export type MockRequest = RecordedRequest;

export type CohereMockHandle = VendorMockHandle;




function send(res: ServerResponse, e: CohereError): void {
  res.writeHead(e.status, { "content-type": "application/json", ...e.headers });
  res.end(JSON.stringify(e.body));
}

async function handle(req: IncomingMessage, res: ServerResponse, seq: number, record: (r: MockRequest) => void, latencyMs: number): Promise<void> {
  const headers = headersOf(req);
  const raw = await readText(req);
  let body: unknown = raw;
  try {
    body = JSON.parse(raw);
  } catch {
    /* recorded as text */
  }
  const path = req.url ?? "/";
  record({ method: req.method ?? "", path, headers, body });
  const errId = `err-mock-${seq}`;
  if (path !== "/v2/chat" && path !== "/v2/embed") return send(res, cohereError(404, errId, `path ${path} not found`));
  if (req.method !== "POST") return send(res, cohereError(405, errId, "method not allowed"));
  if (!/^Bearer \S+/.test(headers["authorization"] ?? "")) return send(res, cohereError(401, errId, "no api key supplied"));
  if (typeof body !== "object" || body === null) return send(res, cohereError(400, errId, "invalid request: body must be JSON"));
  if (path === "/v2/embed") return embed(res, body as Record<string, unknown>, seq, latencyMs);
  const parsed = parseChatRequest(asOpenAiRequest(body as Record<string, unknown>));
  if (!parsed.ok) return send(res, cohereError(400, errId, `invalid request: ${parsed.error.message}`));
  const last = lastUserMessage(parsed.value.messages);
  const { text, directives, invalid } = parseDirectives(last ? contentText(last.content) : "");
  if (invalid.length > 0) return send(res, cohereError(400, errId, `invalid request: unknown mock directive(s) ${invalid.join(" ")}`));
  await sleep(directives.latencyMs ?? latencyMs);
  if (directives.error) return send(res, cohereError(directives.error.status, errId, undefined, directives.error.retryAfter));
  let calls = 0;
  const plan = planCompletion({ request: parsed.value, userText: text, id: `c0ffee-mock-${seq}`, created: 0, nextToolCallId: () => `mock_tool_${seq}_${++calls}` });
  if (!parsed.value.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    return void res.end(JSON.stringify(cohereResponse(plan)));
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const frame of cohereStreamFrames(plan)) res.write(frame);
  res.end();
}

/**
 * `/v2/embed`: `texts` (≤96), `input_type` required, `embedding_types` (float only here), `output_dimension`
 * (default 8). Answers `embeddings_by_type` with `meta.billed_units.input_tokens`.
 */
async function embed(res: ServerResponse, body: Record<string, unknown>, seq: number, latencyMs: number): Promise<void> {
  const errId = `err-mock-${seq}`;
  const problem = checkEmbed(body);
  if (problem !== null) return send(res, cohereError(400, errId, `invalid request: ${problem}`));
  const texts = body["texts"] as string[];
  const plan = planVendorEmbeddings(texts);
  if (plan.invalid.length > 0) return send(res, cohereError(400, errId, `invalid request: unknown mock directive(s) ${plan.invalid.join(" ")}`));
  await sleep(plan.latencyMs || latencyMs);
  if (plan.error) return send(res, cohereError(plan.error.status, errId, undefined, plan.error.retryAfter));
  const dims = typeof body["output_dimension"] === "number" ? body["output_dimension"] : DEFAULT_DIMENSIONS;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(cohereEmbedResponse(`embed-mock-${seq}`, texts, plan.texts.map((t) => vectorValues(t, dims)), plan.tokens)));
}

export async function startCohereMock(opts: { port?: number; latencyMs?: number } = {}): Promise<CohereMockHandle> {
  let last: MockRequest | null = null;
  let seq = 0;
  const server = createServer((req, res) => {
    handle(req, res, ++seq, (r) => (last = r), opts.latencyMs ?? 0).catch((err: unknown) => {
      if (!res.headersSent) send(res, cohereError(500, "err-mock", String(err)));
      else res.destroy();
    });
  });
  return listenMock(server, opts.port, () => last);
}
