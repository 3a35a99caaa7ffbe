/**
 * Building OpenAI error envelopes (`{"error":{"message","type","param","code"}}`) from any provider's error,
 * per providers.md §8.4, and choosing which upstream headers to relay (§1.8 / §8.7). Pure.
 */
import type { UpstreamHeaders } from "../types";

export interface ErrorEnvelope {
  readonly message: string;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
}

/** §8.4: the OpenAI error `type` for an HTTP status. */
export function errorTypeForStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 402) return "insufficient_quota";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** §8.4: a suggested `code` for an HTTP status when the provider gives none. */
export function errorCodeForStatus(status: number): string | null {
  switch (status) {
    case 401:
      return "invalid_api_key";
    case 402:
      return "insufficient_quota";
    case 404:
      return "model_not_found";
    case 429:
      return "rate_limit_exceeded";
    case 503:
      return "overloaded";
    case 504:
      return "timeout";
    default:
      return status >= 500 ? "upstream_error" : null;
  }
}

export function encodeEnvelope(e: ErrorEnvelope): Buffer {
  return Buffer.from(JSON.stringify({ error: { message: e.message, type: e.type, param: e.param, code: e.code } }));
}

/** A string code from a provider value (numbers are stringified, e.g. OpenRouter's numeric codes). */
export function codeString(value: unknown): string | null {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

function headerValue(headers: UpstreamHeaders, name: string): string | undefined {
  const v = headers[name];
  if (typeof v === "string") return v;
  return Array.isArray(v) ? v[0] : undefined;
}

/** Rate-limit/retry headers relayed as-is (when present and not negative, §8.7 "drop negative values"). */
export const RETRY_HEADERS: readonly string[] = [
  "retry-after",
  "retry-after-ms",
  "x-should-retry",
  "x-ratelimit-limit-requests",
  "x-ratelimit-limit-tokens",
  "x-ratelimit-remaining-requests",
  "x-ratelimit-remaining-tokens",
  "x-ratelimit-reset-requests",
  "x-ratelimit-reset-tokens",
];

/**
 * Flat `[name, value…]` list for a relayed error: content-type, the relayable headers in `names`, the
 * provider-specific ones renamed via `renames` (upstream name → OpenAI name), and the upstream request id
 * as `x-upstream-request-id` (first of `requestIdHeaders` present).
 */
export function relayHeaders(
  headers: UpstreamHeaders,
  names: readonly string[] = RETRY_HEADERS,
  renames: Readonly<Record<string, string>> = {},
  requestIdHeaders: readonly string[] = [],
): string[] {
  const out: string[] = ["content-type", "application/json"];
  const seen = new Set<string>();
  const add = (name: string, value: string | undefined): void => {
    if (value === undefined || value === "" || seen.has(name) || value.trim().startsWith("-")) return;
    seen.add(name);
    out.push(name, value);
  };
  for (const name of names) add(name, headerValue(headers, name));
  for (const [from, to] of Object.entries(renames)) add(to, headerValue(headers, from));
  for (const name of requestIdHeaders) {
    const id = headerValue(headers, name);
    if (id !== undefined && id !== "") {
      add("x-upstream-request-id", id);
      break;
    }
  }
  return out;
}
