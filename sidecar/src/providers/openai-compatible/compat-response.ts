import type { MappedError, ParsedResponse, UpstreamHeaders } from "../types";
import { encodeEnvelope, errorCodeForStatus, errorTypeForStatus, relayHeaders, RETRY_HEADERS } from "../shared/error-envelope";
import { asBuffer, isRecord, tryParseJson } from "./bytes";
import { fixChoices, openAiErrorObject } from "./chunk-fixes";
import { exciseMember } from "./excise";
import { parseChatResponse } from "./response";
import { finishReasonOf, usageFromOpenAi } from "./usage";

export interface ResponseQuirks {
  readonly finishReasons: Readonly<Record<string, string>>;
  /** Annotation members removed byte-wise (no parse) before the usage fast path. */
  readonly exciseKeys: readonly string[];
}

const CONTENT_ARRAY = Buffer.from('"content":[');
const FINISH_KEY = Buffer.from('"finish_reason":"');

/**
 * Non-stream responses of a deviating compatible upstream: annotation members are cut out byte-wise; a body
 * with a finish reason outside the OpenAI set or Mistral-style content arrays is parsed once and rebuilt;
 * anything else takes the pass-through parser (bytes unchanged, usage via the fast path).
 */
export function createCompatResponseParser(quirks: ResponseQuirks): (body: Uint8Array) => ParsedResponse {
  return (raw) => {
    let body = raw;
    for (const key of quirks.exciseKeys) body = exciseMember(body, key);
    const buf = asBuffer(body);
    if (!buf.includes(CONTENT_ARRAY) && !hasMappedFinish(buf, quirks.finishReasons)) return parseChatResponse(body);
    const json = tryParseJson(body);
    if (!isRecord(json)) return { ok: false, reason: "response body is not a JSON object" };
    fixChoices(json, { finishReasons: quirks.finishReasons, strip: [] }, "message");
    return { ok: true, body: Buffer.from(JSON.stringify(json)), usage: usageFromOpenAi(json["usage"]), finishReason: finishReasonOf(json) };
  };
}

function hasMappedFinish(buf: Buffer, map: Readonly<Record<string, string>>): boolean {
  let from = 0;
  for (;;) {
    const at = buf.indexOf(FINISH_KEY, from);
    if (at === -1) return false;
    const start = at + FINISH_KEY.length;
    const end = buf.indexOf(0x22, start);
    if (end > start && map[buf.toString("latin1", start, end)] !== undefined) return true;
    from = start;
  }
}

export interface ErrorQuirks {
  /** Provider rate-limit header → OpenAI name (e.g. Mistral `x-ratelimit-remaining-req-minute`). */
  readonly rateLimitHeaders: Readonly<Record<string, string>>;
  /** Headers carrying the upstream request id, relayed as `x-upstream-request-id`. */
  readonly requestIdHeaders: readonly string[];
}

/**
 * Errors of compatible upstreams, whatever their shape, become the OpenAI envelope with the upstream status:
 * OpenAI-shaped bodies (`error.message` + `error.type`) are relayed byte for byte; `{"error":{"code":<number>}}`
 * (OpenRouter), `{"error":"…"}` (Together, Ollama), flat `{"object":"error","message",…}` (Mistral, old vLLM),
 * FastAPI `{"detail":…}` (Mistral 422, DeepInfra), Azure's typeless `{"error":{"code":"429"}}` and non-JSON
 * bodies are rebuilt.
 */
export function createCompatErrorMapper(quirks: ErrorQuirks): (status: number, headers: UpstreamHeaders, body: Uint8Array) => MappedError {
  return (status, headers, body) => {
    const relayed = relayHeaders(headers, RETRY_HEADERS, quirks.rateLimitHeaders, quirks.requestIdHeaders);
    const json = tryParseJson(body);
    const error = isRecord(json) ? json["error"] : undefined;
    if (isRecord(error) && typeof error["message"] === "string" && typeof error["type"] === "string") {
      return { kind: "relay", status, body, headers: relayed };
    }
    return { kind: "relay", status, body: encodeEnvelope(errorEnvelope(status, json)), headers: relayed };
  };
}

function errorEnvelope(status: number, json: unknown): { message: string; type: string; param: string | null; code: string | null } {
  const fallbackCode = errorCodeForStatus(status);
  if (!isRecord(json)) return { message: `The upstream provider answered HTTP ${status}.`, type: errorTypeForStatus(status), param: null, code: fallbackCode };
  const source = json["error"] !== undefined && json["error"] !== null ? json["error"] : json;
  if (typeof source === "string" || isRecord(source)) {
    const inner = openAiErrorObject(source, status);
    let message = inner["message"] as string;
    if (isRecord(source) && typeof source["message"] !== "string" && source["detail"] !== undefined) message = detailMessage(source["detail"]);
    const code = inner["code"] as string | null;
    return {
      message,
      type: inner["type"] as string,
      param: inner["param"] as string | null,
      code: code === null || /^\d{3}$/.test(code) ? fallbackCode : code,
    };
  }
  return { message: JSON.stringify(source), type: errorTypeForStatus(status), param: null, code: fallbackCode };
}

/** FastAPI `detail`: a string, or `[{loc, msg}]` validation items. */
function detailMessage(detail: unknown): string {
  if (typeof detail === "string") return detail;
  if (!Array.isArray(detail)) return JSON.stringify(detail);
  return detail
    .map((d) => (isRecord(d) ? `${Array.isArray(d["loc"]) ? d["loc"].join(".") + ": " : ""}${String(d["msg"] ?? "")}` : String(d)))
    .join("; ");
}
