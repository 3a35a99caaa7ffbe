import type { Price } from "../domain/types";

/**
 * Version (= the date its list prices were checked against the vendors' public pricing pages) of the
 * default catalog seeded by migration 3. Public list prices, USD per 1M tokens, standard tier (no batch
 * discount, Gemini at the ≤200k-token prompt tier). Provider "" = any adapter serving that upstream model
 * (Gemini models are served by both the `gemini` and `vertex` adapters).
 */
export const DEFAULT_CATALOG_VERSION = "2026-12-03";

type Row = [provider: string, model: string, input: number, output: number, cachedInput: number, cacheWrite: number];

// Reasoning tokens are billed at the output rate and already counted in completion tokens, so
// reasoning_per_mtok stays 0 (= no separate charge) for every entry.
const ROWS: readonly Row[] = [
  ["openai", "gpt-4o", 2.5, 10, 1.25, 0],
  ["openai", "gpt-4o-mini", 0.15, 0.6, 0.075, 0],
  ["openai", "gpt-4.1", 2, 8, 0.5, 0],
  ["openai", "gpt-4.1-mini", 0.4, 1.6, 0.1, 0],
  ["openai", "o3-mini", 1.1, 4.4, 0.55, 0],
  ["anthropic", "claude-sonnet-4-5", 3, 15, 0.3, 3.75],
  ["anthropic", "claude-haiku-4-5", 1, 5, 0.1, 1.25],
  ["", "gemini-2.5-pro", 1.25, 10, 0.125, 0],
  ["", "gemini-2.5-flash", 0.3, 2.5, 0.03, 0],
  ["mock", "mock-echo", 0, 0, 0, 0],
];

export const DEFAULT_PRICES: readonly Price[] = ROWS.map(([provider, model, input, output, cachedInput, cacheWrite]) => ({
  provider,
  model,
  inputPerMtok: input,
  outputPerMtok: output,
  cachedInputPerMtok: cachedInput,
  cacheWritePerMtok: cacheWrite,
  reasoningPerMtok: 0,
  catalogVersion: DEFAULT_CATALOG_VERSION,
}));
