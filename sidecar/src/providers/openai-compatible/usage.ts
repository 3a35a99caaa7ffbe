import type { NormalizedUsage } from "../types";
import { isRecord } from "./bytes";

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** OpenAI `CompletionUsage` → canonical usage; null when absent or not an object. */
export function usageFromOpenAi(value: unknown): NormalizedUsage | null {
  if (!isRecord(value)) return null;
  const prompt = isRecord(value["prompt_tokens_details"]) ? value["prompt_tokens_details"] : undefined;
  const completion = isRecord(value["completion_tokens_details"]) ? value["completion_tokens_details"] : undefined;
  return {
    promptTokens: count(value["prompt_tokens"]),
    completionTokens: count(value["completion_tokens"]),
    cachedTokens: count(prompt?.["cached_tokens"]),
    cacheWriteTokens: count(prompt?.["cache_write_tokens"]),
    reasoningTokens: count(completion?.["reasoning_tokens"]),
  };
}

/** `choices[0].finish_reason` of a response or chunk object, or null. */
export function finishReasonOf(value: Record<string, unknown>): string | null {
  const choices = value["choices"];
  if (!Array.isArray(choices) || choices.length === 0) return null;
  const first: unknown = choices[0];
  if (!isRecord(first)) return null;
  const reason = first["finish_reason"];
  return typeof reason === "string" ? reason : null;
}
