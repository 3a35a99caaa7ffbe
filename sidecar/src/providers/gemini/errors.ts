/**
 * google.rpc.Status errors → the OpenAI error envelope (providers.md §4.7, §8.4, §8.7).
 * Body: `{"error":{"code","message","status","details":[ErrorInfo | RetryInfo | QuotaFailure | …]}}`,
 * which Vertex sometimes wraps in a JSON array. Gemini sends no rate-limit headers: `retry-after` is
 * synthesised from `RetryInfo.retryDelay` ("17s" → 17, fractions rounded up).
 */
import type { MappedError, UpstreamHeaders } from "../types";
import { isRecord, parseJsonBytes, type Json } from "./json";

interface Kind {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
}

/** google.rpc code name → OpenAI status/type/code. */
export const STATUS_KINDS: Readonly<Record<string, Kind>> = Object.freeze({
  INVALID_ARGUMENT: { status: 400, type: "invalid_request_error", code: null },
  FAILED_PRECONDITION: { status: 400, type: "invalid_request_error", code: null },
  OUT_OF_RANGE: { status: 400, type: "invalid_request_error", code: null },
  UNAUTHENTICATED: { status: 401, type: "authentication_error", code: "invalid_api_key" },
  PERMISSION_DENIED: { status: 403, type: "permission_error", code: null },
  NOT_FOUND: { status: 404, type: "not_found_error", code: "model_not_found" },
  ALREADY_EXISTS: { status: 409, type: "invalid_request_error", code: null },
  ABORTED: { status: 409, type: "invalid_request_error", code: null },
  RESOURCE_EXHAUSTED: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded" },
  CANCELLED: { status: 499, type: "invalid_request_error", code: null },
  INTERNAL: { status: 500, type: "server_error", code: "upstream_error" },
  UNKNOWN: { status: 500, type: "server_error", code: "upstream_error" },
  DATA_LOSS: { status: 500, type: "server_error", code: "upstream_error" },
  UNIMPLEMENTED: { status: 501, type: "server_error", code: "upstream_error" },
  UNAVAILABLE: { status: 503, type: "server_error", code: "overloaded" },
  DEADLINE_EXCEEDED: { status: 504, type: "server_error", code: "timeout" },
});

const BAD_KEY: Kind = { status: 401, type: "authentication_error", code: "invalid_api_key" };
const BAD_KEY_REASONS = new Set(["API_KEY_INVALID", "API_KEY_EXPIRED"]);
const CONTEXT_TOO_LONG = /input token count.*exceeds|exceeds the maximum number of tokens/i;

function kindForHttp(status: number): Kind {
  for (const kind of Object.values(STATUS_KINDS)) if (kind.status === status) return kind;
  return status >= 500 ? { status, type: "server_error", code: "upstream_error" } : { status, type: "invalid_request_error", code: null };
}

/** The `error` object of a Gemini/Vertex error body (plain or array-wrapped), or null. */
export function googleError(json: unknown): Json | null {
  const root = Array.isArray(json) ? json[0] : json;
  return isRecord(root) && isRecord(root["error"]) ? root["error"] : null;
}

function details(error: Json, type: string): Json | undefined {
  const list = Array.isArray(error["details"]) ? error["details"] : [];
  return list.find((d): d is Json => isRecord(d) && typeof d["@type"] === "string" && d["@type"].endsWith(type));
}

/** `"17s"` / `"0.5s"` → whole seconds (rounded up), or null. */
export function retryAfterSeconds(error: Json): string | null {
  const delay = details(error, ".RetryInfo")?.["retryDelay"];
  const m = typeof delay === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return m === null ? null : String(Math.max(1, Math.ceil(Number(m[1]))));
}

/** OpenAI envelope + status for a google error object (or for a bare HTTP status when there is none). */
export function envelopeFor(httpStatus: number, error: Json | null, label: string): { status: number; body: Json } {
  const reason = error === null ? undefined : details(error, ".ErrorInfo")?.["reason"];
  const rpc = error === null ? undefined : error["status"];
  let kind = typeof reason === "string" && BAD_KEY_REASONS.has(reason) ? BAD_KEY : typeof rpc === "string" ? STATUS_KINDS[rpc] : undefined;
  kind ??= kindForHttp(httpStatus);
  const upstream = error !== null && typeof error["message"] === "string" ? error["message"] : `HTTP ${httpStatus}`;
  const code = kind.status === 400 && CONTEXT_TOO_LONG.test(upstream) ? "context_length_exceeded" : kind.code;
  return { status: kind.status, body: { error: { message: `${label}: ${upstream}`, type: kind.type, param: null, code } } };
}

function header(headers: UpstreamHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function createErrorMapper(label: string): (status: number, headers: UpstreamHeaders, body: Uint8Array) => MappedError {
  return (status, headers, body) => {
    if (status < 400) return { kind: "code", code: "upstream_invalid_response", message: `${label} answered HTTP ${status} without a usable body.` };
    const error = googleError(parseJsonBytes(body));
    const mapped = envelopeFor(status, error, label);
    const out: string[] = ["content-type", "application/json"];
    const retryAfter = (error !== null ? retryAfterSeconds(error) : null) ?? header(headers, "retry-after");
    if (retryAfter !== undefined && retryAfter !== null) out.push("retry-after", retryAfter);
    return { kind: "relay", status: mapped.status, body: Buffer.from(JSON.stringify(mapped.body)), headers: out };
  };
}
