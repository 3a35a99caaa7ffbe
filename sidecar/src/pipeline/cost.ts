import type { PriceEntry } from "../policy/snapshot";
import type { NormalizedUsage } from "../providers/types";

/**
 * USD for one request from per-million-token prices. Canonical usage counts cached and cache-write tokens
 * inside prompt tokens; each part uses its own price when set (0 = not priced separately → input price).
 * Reasoning tokens are part of completion tokens.
 */
export function costUsd(usage: NormalizedUsage | null, price: PriceEntry | null): number {
  if (usage === null || price === null) return 0;
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  const written = Math.min(usage.cacheWriteTokens, usage.promptTokens - cached);
  const cachedPrice = price.cachedInputPerMtok > 0 ? price.cachedInputPerMtok : price.inputPerMtok;
  const writePrice = price.cacheWritePerMtok > 0 ? price.cacheWritePerMtok : price.inputPerMtok;
  const micro =
    (usage.promptTokens - cached - written) * price.inputPerMtok +
    cached * cachedPrice +
    written * writePrice +
    usage.completionTokens * price.outputPerMtok;
  return micro / 1_000_000;
}
