import type { NormalizedUsage } from "../types";

/** OpenAI `CompletionUsage` JSON for canonical usage; total = prompt + completion (§8.5). */
export function openAiUsage(u: NormalizedUsage): Record<string, unknown> {
  return {
    prompt_tokens: u.promptTokens,
    completion_tokens: u.completionTokens,
    total_tokens: u.promptTokens + u.completionTokens,
    prompt_tokens_details: { cached_tokens: u.cachedTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  };
}
