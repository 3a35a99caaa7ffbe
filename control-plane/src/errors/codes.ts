/** The closed catalogue of admin API error codes. Every non-2xx answer uses exactly one of these. */
export const ERROR_CODES = {
  validation_failed: { status: 400, type: "invalid_request_error", message: "The request is invalid." },
  invalid_json: { status: 400, type: "invalid_request_error", message: "The request body is not valid JSON." },
  unauthorized: { status: 401, type: "authentication_error", message: "Missing or invalid admin token." },
  forbidden: { status: 403, type: "permission_error", message: "This admin token's role may not do this." },
  out_of_scope: { status: 403, type: "permission_error", message: "This admin token is not scoped to that team." },
  not_found: { status: 404, type: "not_found_error", message: "No such resource." },
  method_not_allowed: { status: 405, type: "invalid_request_error", message: "Method not allowed on this resource." },
  conflict: { status: 409, type: "conflict_error", message: "The resource already exists." },
  payload_too_large: { status: 413, type: "invalid_request_error", message: "The request body is too large." },
  unsupported_media_type: { status: 415, type: "invalid_request_error", message: "The request body must be application/json." },
  internal_error: { status: 500, type: "server_error", message: "Internal error." },
} as const satisfies Record<string, { status: number; type: string; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * An expected admin API failure. Built without a stack trace: these are answers, not bugs.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: readonly ErrorDetail[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message?: string, details: readonly ErrorDetail[] = [], headers: Record<string, string> = {}) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message ?? ERROR_CODES[code].message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = "ApiError";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
    this.headers = headers;
  }
}

/** The JSON body of every error answer. */
export function errorBody(err: ApiError): { error: { code: ErrorCode; type: string; message: string; details?: readonly ErrorDetail[] } } {
  const body = { code: err.code, type: ERROR_CODES[err.code].type, message: err.message };
  return { error: err.details.length > 0 ? { ...body, details: err.details } : body };
}
