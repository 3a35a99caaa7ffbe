/** Anthropic error responses → OpenAI error envelopes with status and retry hints (providers.md §3.7, §8.4). */
import type { MappedError, UpstreamHeaders } from "../types";
import { isRecord, tryParse, utf8 } from "./json";
import { rateLimitHeaders, referenceTime } from "./ratelimit";

export interface OpenAiErrorKind {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
}

const BY_TYPE: Readonly<Record<string, OpenAiErrorKind>> = Object.freeze({
  invalid_request_error: { status: 400, type: "invalid_request_error", code: null },
  authentication_error: { status: 401, type: "authentication_error", code: "invalid_api_key" },
  billing_error: { status: 402, type: "insufficient_quota", code: "insufficient_quota" },
  permission_error: { status: 403, type: "permission_error", code: null },
  not_found_error: { status: 404, type: "not_found_error", code: null },
  request_too_large: { status: 400, type: "invalid_request_error", code: "request_too_large" },
  rate_limit_error: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded" },
  api_error: { status: 500, type: "server_error", code: "upstream_error" },
  timeout_error: { status: 504, type: "server_error", code: "timeout" },
  overloaded_error: { status: 503, type: "server_error", code: "overloaded" },
});

const BY_STATUS: Readonly<Record<number, string>> = Object.freeze({
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
});

/** OpenAI status/type/code for an Anthropic error type (by HTTP status when the type is unknown). */
export function openAiError(type: string, status: number): OpenAiErrorKind {
  const known = BY_TYPE[type] ?? BY_TYPE[BY_STATUS[status] ?? ""];
  if (known !== undefined) return known;
  if (status >= 500) return { status: status === 529 ? 503 : status, type: "server_error", code: "upstream_error" };
  return { status, type: "invalid_request_error", code: null };
}

/**
 * Always a relay in the OpenAI envelope: the Anthropic error type decides status/type/code, the message is
 * kept (prefixed with the provider), rate-limit headers are translated, `request-id` goes to
 * `x-upstream-request-id`. A non-JSON body (edge proxies) is described by its status. `now` is optional:
 * without it, reset durations are computed against the response's `Date` header.
 */
export function mapError(status: number, headers: UpstreamHeaders, body: Uint8Array, now?: number): MappedError {
  const json = tryParse(utf8(body));
  const error = isRecord(json) && isRecord(json["error"]) ? json["error"] : undefined;
  const type = typeof error?.["type"] === "string" ? error["type"] : "";
  const kind = openAiError(type, status);
  const upstreamMessage = typeof error?.["message"] === "string" ? error["message"] : `upstream answered HTTP ${status}`;
  let code = kind.code;
  if (type === "invalid_request_error" && /prompt is too long|context (window|length)/i.test(upstreamMessage)) code = "context_length_exceeded";
  if (type === "not_found_error" && /model/i.test(upstreamMessage)) code = "model_not_found";
  const envelope = { error: { message: `anthropic: ${upstreamMessage}`, type: kind.type, param: null, code } };
  const out: string[] = ["content-type", "application/json", ...rateLimitHeaders(headers, referenceTime(headers, now))];
  const shouldRetry = headers["x-should-retry"];
  if (typeof shouldRetry === "string") out.push("x-should-retry", shouldRetry);
  const requestId = headers["request-id"];
  const id = typeof requestId === "string" ? requestId : isRecord(json) && typeof json["request_id"] === "string" ? json["request_id"] : undefined;
  if (id !== undefined) out.push("x-upstream-request-id", id);
  return { kind: "relay", status: kind.status, body: Buffer.from(JSON.stringify(envelope)), headers: out };
}
