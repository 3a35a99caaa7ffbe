/** google.rpc.Status error bodies as the Gemini API and Vertex AI send them (providers.md §4.7). */

export interface GoogleError {
  status: number;
  body: string;
}

const RPC_BY_HTTP: Record<number, { status: string; message: string }> = {
  400: { status: "INVALID_ARGUMENT", message: "Request contains an invalid argument (injected by mock)." },
  401: { status: "UNAUTHENTICATED", message: "Request had invalid authentication credentials (injected by mock)." },
  403: { status: "PERMISSION_DENIED", message: "The caller does not have permission (injected by mock)." },
  404: { status: "NOT_FOUND", message: "Requested entity was not found (injected by mock)." },
  409: { status: "ABORTED", message: "The operation was aborted (injected by mock)." },
  429: { status: "RESOURCE_EXHAUSTED", message: "Resource has been exhausted (e.g. check quota) (injected by mock)." },
  499: { status: "CANCELLED", message: "The operation was cancelled (injected by mock)." },
  500: { status: "INTERNAL", message: "An internal error has occurred (injected by mock)." },
  501: { status: "UNIMPLEMENTED", message: "Operation is not implemented (injected by mock)." },
  503: { status: "UNAVAILABLE", message: "The model is overloaded. Please try again later (injected by mock)." },
  504: { status: "DEADLINE_EXCEEDED", message: "Deadline expired before operation could complete (injected by mock)." },
};

export function googleError(status: number, message: string, rpcStatus: string, details?: unknown[]): GoogleError {
  const error: Record<string, unknown> = { code: status, message, status: rpcStatus };
  if (details !== undefined) error["details"] = details;
  return { status, body: JSON.stringify({ error }) };
}

/** The error answered for a `[mock:error=STATUS(:retry-after=S)]` directive. */
export function injectedGoogleError(status: number, retryAfter?: string): GoogleError {
  const rpc = RPC_BY_HTTP[status] ?? { status: status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION", message: `Error ${status} (injected by mock).` };
  if (status !== 429) return googleError(status, rpc.message, rpc.status);
  return googleError(status, rpc.message, rpc.status, [
    { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_requests", quotaId: "GenerateRequestsPerMinutePerProjectPerModel" }] },
    { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${retryAfter ?? "1"}s` },
  ]);
}

export function invalidArgument(message: string): GoogleError {
  return googleError(400, message, "INVALID_ARGUMENT");
}

export function apiKeyInvalid(): GoogleError {
  return googleError(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT", [
    { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } },
  ]);
}

export function unregisteredCaller(): GoogleError {
  return googleError(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", "PERMISSION_DENIED");
}

export function unauthenticated(): GoogleError {
  return googleError(401, "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "UNAUTHENTICATED");
}

export function notFound(path: string): GoogleError {
  return googleError(404, `Method not found: ${path}`, "NOT_FOUND");
}
