/** OpenAI error envelopes as the mock answers them (see providers.md §1.7 / §8.4). */

export interface MockError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
  headers: Record<string, string>;
}

interface Kind {
  type: string;
  code: string | null;
  message: string;
}

const BY_STATUS: Record<number, Kind> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request (injected by mock)." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided (injected by mock)." },
  403: { type: "permission_error", code: null, message: "You do not have access to this resource (injected by mock)." },
  404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist (injected by mock)." },
  408: { type: "server_error", code: "timeout", message: "Request timed out (injected by mock)." },
  409: { type: "invalid_request_error", code: "conflict", message: "Conflict (injected by mock)." },
  422: { type: "invalid_request_error", code: null, message: "Unprocessable entity (injected by mock)." },
  429: { type: "rate_limit_error", code: "rate_limit_exceeded", message: "Rate limit reached for requests (injected by mock)." },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request (injected by mock)." },
  502: { type: "server_error", code: "bad_gateway", message: "Bad gateway (injected by mock)." },
  503: { type: "server_error", code: "overloaded", message: "The engine is currently overloaded (injected by mock)." },
  504: { type: "server_error", code: "timeout", message: "Gateway timeout (injected by mock)." },
};

function kindFor(status: number): Kind {
  const known = BY_STATUS[status];
  if (known) return known;
  return status >= 500
    ? { type: "server_error", code: null, message: `Server error ${status} (injected by mock).` }
    : { type: "invalid_request_error", code: null, message: `Request error ${status} (injected by mock).` };
}

/** An error answered because of an `[mock:error=…]` directive. */
export function injectedError(status: number, retryAfter?: string): MockError {
  const k = kindFor(status);
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) {
    headers["retry-after"] = retryAfter;
    headers["retry-after-ms"] = String(Math.round(Number(retryAfter) * 1000));
  }
  if (status === 429) {
    headers["x-ratelimit-remaining-requests"] = "0";
    headers["x-ratelimit-reset-requests"] = `${retryAfter ?? "1"}s`;
  }
  return { status, message: k.message, type: k.type, param: null, code: k.code, headers };
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null): MockError {
  return { status: 400, message, type: "invalid_request_error", param, code, headers: {} };
}

export function invalidJson(): MockError {
  return invalidRequest(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
    null,
    "invalid_json",
  );
}

export function unknownUrl(method: string, path: string): MockError {
  return {
    status: 404,
    message: `Invalid URL (${method} ${path})`,
    type: "invalid_request_error",
    param: null,
    code: "unknown_url",
    headers: {},
  };
}

export function methodNotAllowed(method: string, path: string): MockError {
  return {
    status: 405,
    message: `Method ${method} not allowed on ${path}`,
    type: "invalid_request_error",
    param: null,
    code: "method_not_allowed",
    headers: {},
  };
}

export function payloadTooLarge(limit: number): MockError {
  return {
    status: 413,
    message: `Request body exceeds ${limit} bytes`,
    type: "invalid_request_error",
    param: null,
    code: "payload_too_large",
    headers: {},
  };
}

export function modelNotFound(model: string): MockError {
  return {
    status: 404,
    message: `The model '${model}' does not exist`,
    type: "invalid_request_error",
    param: "model",
    code: "model_not_found",
    headers: {},
  };
}

export function errorBody(e: MockError): string {
  return JSON.stringify({ error: { message: e.message, type: e.type, param: e.param, code: e.code } });
}
