/**
 * Bedrock errors → OpenAI error envelopes. The exception name comes from `x-amzn-ErrorType`
 * (`Name:namespace`), else the body's `__type` (`ns#Name`), else the HTTP status. The same table maps
 * in-stream `:exception-type` events (camelCase names) for stream.ts.
 */
import type { MappedError, UpstreamHeaders } from "../types";
import { isRecord, parseJsonBytes } from "./json";

export interface ErrorRule {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  /** Synthesise `retry-after` (seconds) when the provider sends none (Bedrock never does, §8.7). */
  readonly retryAfter?: string;
}

/** Keys are lower-case exception names (the header/`__type` form and the stream form both normalise to them). */
export const EXCEPTIONS: Readonly<Record<string, ErrorRule>> = Object.freeze({
  validationexception: { status: 400, type: "invalid_request_error", code: null },
  servicequotaexceededexception: { status: 429, type: "insufficient_quota", code: "insufficient_quota", retryAfter: "1" },
  accessdeniedexception: { status: 403, type: "permission_error", code: null },
  unrecognizedclientexception: { status: 401, type: "authentication_error", code: "invalid_api_key" },
  invalidsignatureexception: { status: 401, type: "authentication_error", code: "invalid_api_key" },
  expiredtokenexception: { status: 401, type: "authentication_error", code: "invalid_api_key" },
  resourcenotfoundexception: { status: 404, type: "not_found_error", code: "model_not_found" },
  modeltimeoutexception: { status: 504, type: "server_error", code: "timeout" },
  conflictexception: { status: 409, type: "invalid_request_error", code: null },
  modelerrorexception: { status: 502, type: "server_error", code: "upstream_error" },
  modelstreamerrorexception: { status: 502, type: "server_error", code: "upstream_error" },
  throttlingexception: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded", retryAfter: "1" },
  modelnotreadyexception: { status: 503, type: "server_error", code: "overloaded", retryAfter: "1" },
  internalserverexception: { status: 500, type: "server_error", code: "upstream_error" },
  serviceunavailableexception: { status: 503, type: "server_error", code: "overloaded", retryAfter: "1" },
});

const CONTEXT_TOO_LONG = /too long|context (length|window)|exceeds? the maximum|maximum context/i;

function byStatus(status: number): ErrorRule {
  if (status === 401) return { status, type: "authentication_error", code: "invalid_api_key" };
  if (status === 403) return { status, type: "permission_error", code: null };
  if (status === 404) return { status, type: "not_found_error", code: "model_not_found" };
  if (status === 429) return { status, type: "rate_limit_error", code: "rate_limit_exceeded", retryAfter: "1" };
  if (status === 503) return { status, type: "server_error", code: "overloaded", retryAfter: "1" };
  if (status >= 500) return { status: 502, type: "server_error", code: "upstream_error" };
  return { status: status >= 400 ? status : 502, type: "invalid_request_error", code: null };
}

/** Rule for an exception name (any case, with or without namespace), falling back to the HTTP status. */
export function ruleFor(name: string, status: number): ErrorRule {
  return EXCEPTIONS[name.toLowerCase()] ?? byStatus(status);
}

/** The OpenAI error object for an exception; a validation error about length gets `context_length_exceeded`. */
export function errorObject(name: string, message: string, rule: ErrorRule): Record<string, unknown> {
  const code = rule.status === 400 && CONTEXT_TOO_LONG.test(message) ? "context_length_exceeded" : rule.code;
  const text = name === "" ? `Bedrock: ${message}` : `Bedrock ${name}: ${message}`;
  return { message: text, type: rule.type, param: null, code };
}

function header(headers: UpstreamHeaders, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name) continue;
    return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** Exception name from `x-amzn-ErrorType` or `__type` (e.g. `com.amazon.coral.service#ThrottlingException`). */
function exceptionName(headers: UpstreamHeaders, json: unknown): string {
  const fromHeader = header(headers, "x-amzn-errortype");
  if (fromHeader !== undefined && fromHeader !== "") return fromHeader.split(":")[0] ?? "";
  const type = isRecord(json) ? json["__type"] ?? json["code"] : undefined;
  if (typeof type !== "string") return "";
  const hash = type.lastIndexOf("#");
  return (hash === -1 ? type : type.slice(hash + 1)).split(":")[0] ?? "";
}

export function mapError(status: number, headers: UpstreamHeaders, body: Uint8Array): MappedError {
  const json = parseJsonBytes(body);
  const name = exceptionName(headers, json);
  const raw = isRecord(json) ? (json["message"] ?? json["Message"]) : undefined;
  const message = typeof raw === "string" && raw !== "" ? raw : `the upstream answered HTTP ${status}`;
  const rule = ruleFor(name, status);
  const out: string[] = ["content-type", "application/json"];
  const retryAfter = header(headers, "retry-after") ?? rule.retryAfter;
  if (retryAfter !== undefined && (rule.status === 429 || rule.status === 503)) out.push("retry-after", retryAfter);
  const requestId = header(headers, "x-amzn-requestid");
  if (requestId !== undefined) out.push("x-upstream-request-id", requestId);
  const envelope = { error: errorObject(name, message, rule) };
  return { kind: "relay", status: rule.status, body: Buffer.from(JSON.stringify(envelope)), headers: out };
}
