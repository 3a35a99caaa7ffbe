/**
 * Errors on the inbound Messages surface, in Anthropic's shape: `{"type":"error","error":{"type","message"}}`.
 * One table maps every sidecar catalogue code to an Anthropic error type (the README documents it; a test
 * keeps both in sync); relayed provider errors are typed by their HTTP status.
 */
import type { ErrorCode } from "../../../errors/codes";
import type { ErrorDialect } from "../../../errors/dialect";
import type { ProxyError } from "../../../errors/proxy-error";
import { isRecord, parseJsonBytes } from "../../shared/json-bytes";
import type { ErrorType } from "../wire";

/** Catalogue code → Anthropic error type. `satisfies` makes a new catalogue code a compile error here. */
export const MESSAGES_ERROR_TYPES = Object.freeze({
  invalid_json: "invalid_request_error",
  invalid_request: "invalid_request_error",
  embeddings_not_supported: "invalid_request_error",
  missing_api_key: "authentication_error",
  invalid_api_key: "authentication_error",
  key_expired: "authentication_error",
  model_not_allowed: "permission_error",
  model_not_found: "not_found_error",
  not_found: "not_found_error",
  method_not_allowed: "invalid_request_error",
  request_too_large: "request_too_large",
  request_timeout: "timeout_error",
  rate_limit_exceeded: "rate_limit_error",
  insufficient_quota: "rate_limit_error",
  unsupported_media_type: "invalid_request_error",
  client_closed_request: "invalid_request_error",
  internal_error: "api_error",
  upstream_unreachable: "api_error",
  upstream_invalid_response: "api_error",
  not_ready: "overloaded_error",
  upstream_timeout: "timeout_error",
} as const satisfies Record<ErrorCode, ErrorType>);

/** The Anthropic error type for an HTTP status (relayed errors of translated providers). */
export function errorTypeForStatus(status: number): ErrorType {
  switch (status) {
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    case 504:
      return "timeout_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

export function errorJson(type: string, message: string): string {
  return JSON.stringify({ type: "error", error: { type, message } });
}

/** `event: error` SSE event. */
export function errorEventText(type: string, message: string): string {
  return `event: error\ndata: ${errorJson(type, message)}\n\n`;
}

const DEFAULT_BODIES = new Map<string, Buffer>();

function body(error: ProxyError): Buffer {
  const type = MESSAGES_ERROR_TYPES[error.code];
  if (!error.isDefault) return Buffer.from(errorJson(type, error.message));
  let cached = DEFAULT_BODIES.get(error.code);
  if (cached === undefined) {
    cached = Buffer.from(errorJson(type, error.message));
    DEFAULT_BODIES.set(error.code, cached);
  }
  return cached;
}

export const MESSAGES_DIALECT: ErrorDialect = Object.freeze({
  errorBody: body,
  errorEvent: (error: ProxyError) => Buffer.from(errorEventText(MESSAGES_ERROR_TYPES[error.code], error.message)),
  requestIdHeaders: Object.freeze(["request-id"]),
});

/** An OpenAI error envelope (relayed by a translated provider) re-spelled in Anthropic's shape. */
export function fromOpenAiErrorBody(status: number, bytes: Uint8Array): Buffer {
  const json = parseJsonBytes(bytes);
  const error = isRecord(json) && isRecord(json["error"]) ? json["error"] : undefined;
  const message = typeof error?.["message"] === "string" ? error["message"] : `upstream answered HTTP ${status}`;
  return Buffer.from(errorJson(errorTypeForStatus(status), message));
}

/** Anthropic error type for an OpenAI error `type` / `code` seen mid-stream (no HTTP status there). */
export function errorTypeForOpenAi(type: unknown, code: unknown): ErrorType {
  if (code === "rate_limit_exceeded" || type === "rate_limit_error") return "rate_limit_error";
  if (code === "overloaded") return "overloaded_error";
  if (code === "timeout" || code === "upstream_timeout") return "timeout_error";
  if (type === "invalid_request_error") return "invalid_request_error";
  if (type === "authentication_error") return "authentication_error";
  if (type === "permission_error") return "permission_error";
  return "api_error";
}
