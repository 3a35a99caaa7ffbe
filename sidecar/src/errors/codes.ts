/**
 * The sidecar's closed error catalogue: every error a client can receive from the sidecar itself.
 * Each code maps to exactly one HTTP status and one OpenAI error `type` (OpenAI itself answers 404s with
 * `invalid_request_error`, so SDKs map them by status). Keep README in sync (a test checks).
 */
export type OpenAiErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "requests"
  | "insufficient_quota"
  | "server_error";

export interface ErrorSpec {
  readonly status: number;
  readonly type: OpenAiErrorType;
  readonly message: string;
}

export const ERROR_CATALOGUE = {
  invalid_json: { status: 400, type: "invalid_request_error", message: "The request body is not valid JSON." },
  invalid_request: { status: 400, type: "invalid_request_error", message: "The request body is invalid." },
  embeddings_not_supported: {
    status: 400,
    type: "invalid_request_error",
    message: "The provider serving this model cannot create embeddings.",
  },
  missing_api_key: {
    status: 401,
    type: "authentication_error",
    message: "Missing API key. Send it as 'Authorization: Bearer <key>' (or 'x-api-key: <key>' on /v1/messages).",
  },
  invalid_api_key: { status: 401, type: "authentication_error", message: "Invalid or revoked API key." },
  key_expired: {
    status: 401,
    type: "authentication_error",
    message: "This API key has expired (or this secret was replaced by a rotation and its grace period is over).",
  },
  model_not_allowed: { status: 403, type: "permission_error", message: "This API key may not use the requested model." },
  model_not_found: { status: 404, type: "invalid_request_error", message: "The requested model does not exist." },
  not_found: { status: 404, type: "invalid_request_error", message: "Unknown path." },
  method_not_allowed: { status: 405, type: "invalid_request_error", message: "Method not allowed on this path." },
  request_timeout: {
    status: 408,
    type: "invalid_request_error",
    message: "The request body did not arrive in time.",
  },
  request_too_large: { status: 413, type: "invalid_request_error", message: "The request body is too large." },
  unsupported_media_type: {
    status: 415,
    type: "invalid_request_error",
    message: "Content-Type must be application/json.",
  },
  client_closed_request: {
    status: 499,
    type: "invalid_request_error",
    message: "The client closed the connection before the response completed.",
  },
  rate_limit_exceeded: {
    status: 429,
    type: "requests",
    message: "Rate limit reached for this key, team or model. Retry after the time in the retry-after header.",
  },
  insufficient_quota: {
    status: 429,
    type: "insufficient_quota",
    message: "The budget of this key or team is exhausted for the current period.",
  },
  internal_error: { status: 500, type: "server_error", message: "Internal error in the sidecar." },
  upstream_unreachable: { status: 502, type: "server_error", message: "The upstream provider could not be reached." },
  upstream_invalid_response: {
    status: 502,
    type: "server_error",
    message: "The upstream provider returned an invalid response.",
  },
  not_ready: { status: 503, type: "server_error", message: "The sidecar has no valid policy yet or is shutting down." },
  upstream_timeout: { status: 504, type: "server_error", message: "The upstream provider did not answer in time." },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.freeze(Object.keys(ERROR_CATALOGUE) as ErrorCode[]);

export function errorSpec(code: ErrorCode): ErrorSpec {
  return ERROR_CATALOGUE[code];
}
