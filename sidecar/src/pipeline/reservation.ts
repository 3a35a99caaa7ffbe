/**
 * What a request may use at most, known before it is sent: input tokens estimated from the body size
 * (4 bytes per token; the JSON around the text makes this an over-estimate for most text), output tokens
 * from `max_completion_tokens` / `max_tokens` (or the configured default) times `n`, and the USD those
 * cost at the route's price.
 */
import type { PriceEntry } from "../policy/snapshot";

export const BYTES_PER_TOKEN = 4;

export function estimateInputTokens(bodyBytes: number): number {
  return Math.ceil(bodyBytes / BYTES_PER_TOKEN);
}

/** Output-token cap of the request: max_completion_tokens, else max_tokens, else `fallback`; times n. */
export function maxOutputTokens(json: Record<string, unknown>, fallback: number): number {
  const cap = json["max_completion_tokens"] ?? json["max_tokens"];
  const perChoice = typeof cap === "number" && cap > 0 ? cap : fallback;
  const n = json["n"];
  return perChoice * (typeof n === "number" && n > 1 ? n : 1);
}

export function inputCostUsd(tokens: number, price: PriceEntry | null): number {
  return price === null ? 0 : (tokens * price.inputPerMtok) / 1_000_000;
}

export function maxCostUsd(inputTokens: number, outputTokens: number, price: PriceEntry | null): number {
  if (price === null) return 0;
  return (inputTokens * price.inputPerMtok + outputTokens * price.outputPerMtok) / 1_000_000;
}
