/** Gemini `usageMetadata` → canonical usage and the OpenAI `usage` object (providers.md §4.5, §8.5). */
import type { NormalizedUsage } from "../types";
import { count, isRecord, type Json } from "./json";

/**
 * prompt = promptTokenCount (already includes cachedContentTokenCount) + toolUsePromptTokenCount;
 * completion = candidatesTokenCount + thoughtsTokenCount (thoughts are not part of candidates);
 * cached = cachedContentTokenCount; reasoning = thoughtsTokenCount. Null when absent.
 */
export function usageFromGemini(meta: unknown): NormalizedUsage | null {
  if (!isRecord(meta)) return null;
  const thoughts = count(meta["thoughtsTokenCount"]);
  return {
    promptTokens: count(meta["promptTokenCount"]) + count(meta["toolUsePromptTokenCount"]),
    completionTokens: count(meta["candidatesTokenCount"]) + thoughts,
    cachedTokens: count(meta["cachedContentTokenCount"]),
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}

/** OpenAI `CompletionUsage`; total is the computed sum (an upstream total that disagrees is ignored). */
export function openAiUsage(u: NormalizedUsage): Json {
  return {
    prompt_tokens: u.promptTokens,
    completion_tokens: u.completionTokens,
    total_tokens: u.promptTokens + u.completionTokens,
    prompt_tokens_details: { cached_tokens: u.cachedTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  };
}
