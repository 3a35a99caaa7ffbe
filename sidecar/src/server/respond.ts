import { encodeErrorBody, type ProxyError } from "../errors/proxy-error";
import type { HttpResponse, RecognizedString } from "./uws";

const REASONS: Readonly<Record<number, string>> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  499: "Client Closed Request",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

const STATUS_LINES = new Map<number, string>();

/** "404 Not Found"; cached per status. */
export function statusLine(status: number): string {
  let line = STATUS_LINES.get(status);
  if (line === undefined) {
    line = `${status} ${REASONS[status] ?? "Status"}`;
    STATUS_LINES.set(status, line);
  }
  return line;
}

export const JSON_HEADERS: readonly string[] = Object.freeze(["content-type", "application/json"]);

/** Per-request header values filled by the limit stage ("" = not sent); the request context carries them. */
export interface LimitHeaderValues {
  readonly rlLimitRequests: string;
  readonly rlRemainingRequests: string;
  readonly rlResetRequests: string;
  readonly rlLimitTokens: string;
  readonly rlRemainingTokens: string;
  readonly rlResetTokens: string;
  readonly retryAfter: string;
}

// Names written on every response, as bytes: uWS copies a string argument through a fresh UTF-8
// conversion each call, and these seven cost ~0.35 µs per response as strings.
export const REQUEST_ID = Buffer.from("x-request-id");
const LIMIT_REQUESTS = Buffer.from("x-ratelimit-limit-requests");
const REMAINING_REQUESTS = Buffer.from("x-ratelimit-remaining-requests");
const RESET_REQUESTS = Buffer.from("x-ratelimit-reset-requests");
const LIMIT_TOKENS = Buffer.from("x-ratelimit-limit-tokens");
const REMAINING_TOKENS = Buffer.from("x-ratelimit-remaining-tokens");
const RESET_TOKENS = Buffer.from("x-ratelimit-reset-tokens");
const RETRY_AFTER = Buffer.from("retry-after");

/** x-ratelimit-* (OpenAI's names and formats) and retry-after; call inside a cork. */
export function writeLimitHeaders(res: HttpResponse, h: LimitHeaderValues | null): void {
  if (h === null) return;
  if (h.rlLimitRequests !== "") {
    res.writeHeader(LIMIT_REQUESTS, h.rlLimitRequests);
    res.writeHeader(REMAINING_REQUESTS, h.rlRemainingRequests);
    res.writeHeader(RESET_REQUESTS, h.rlResetRequests);
  }
  if (h.rlLimitTokens !== "") {
    res.writeHeader(LIMIT_TOKENS, h.rlLimitTokens);
    res.writeHeader(REMAINING_TOKENS, h.rlRemainingTokens);
    res.writeHeader(RESET_TOKENS, h.rlResetTokens);
  }
  if (h.retryAfter !== "") res.writeHeader(RETRY_AFTER, h.retryAfter);
}

/** Status, x-request-id, headers and body in one corked write. Every response goes through here. */
export function writeResponse(
  res: HttpResponse,
  status: number,
  requestId: string,
  headers: readonly string[],
  body: RecognizedString,
  closeConnection = false,
  limits: LimitHeaderValues | null = null,
): void {
  res.cork(() => {
    res.writeStatus(statusLine(status));
    res.writeHeader(REQUEST_ID, requestId);
    writeLimitHeaders(res, limits);
    for (let i = 0; i + 1 < headers.length; i += 2) res.writeHeader(headers[i] as string, headers[i + 1] as string);
    res.end(body, closeConnection);
  });
}

export function writeError(
  res: HttpResponse,
  requestId: string,
  error: ProxyError,
  extraHeaders: readonly string[] = JSON_HEADERS,
  closeConnection = false,
  limits: LimitHeaderValues | null = null,
): void {
  writeResponse(res, error.status, requestId, extraHeaders, encodeErrorBody(error), closeConnection, limits);
}
