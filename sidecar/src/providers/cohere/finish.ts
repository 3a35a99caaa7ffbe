import type { NormalizedUsage } from "../types";
import { isObject, tokenCount } from "../shared/json-bytes";

/** Cohere finish_reason → OpenAI (§6.3 / §8.6). ERROR and TIMEOUT become `stop` (an error object, if any, is surfaced separately). */
export const COHERE_FINISH: Readonly<Record<string, string>> = Object.freeze({
  COMPLETE: "stop",
  STOP_SEQUENCE: "stop",
  MAX_TOKENS: "length",
  TOOL_CALL: "tool_calls",
  ERROR: "stop",
  TIMEOUT: "stop",
});

export function cohereFinish(value: unknown): string {
  return typeof value === "string" ? (COHERE_FINISH[value] ?? "stop") : "stop";
}

/** §8.5: prompt = tokens.input_tokens (fallback billed_units), completion = tokens.output_tokens, cached = cached_tokens. */
export function cohereUsage(usage: unknown): NormalizedUsage | null {
  if (!isObject(usage)) return null;
  const tokens = isObject(usage["tokens"]) ? usage["tokens"] : {};
  const billed = isObject(usage["billed_units"]) ? usage["billed_units"] : {};
  return {
    promptTokens: tokenCount(tokens["input_tokens"] ?? billed["input_tokens"]),
    completionTokens: tokenCount(tokens["output_tokens"] ?? billed["output_tokens"]),
    cachedTokens: tokenCount(usage["cached_tokens"]),
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}
