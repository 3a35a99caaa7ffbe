/** Converse → OpenAI mappings shared by the non-stream and stream paths: stop reasons, usage, ids. */
import { createHash } from "node:crypto";
import type { NormalizedUsage } from "../types";
import { count, isRecord } from "./json";

/** Converse `stopReason` → OpenAI `finish_reason` (providers.md §5.4, §8.6); unknown values → "stop". */
export const STOP_REASONS: Readonly<Record<string, string>> = Object.freeze({
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  guardrail_intervened: "content_filter",
  content_filtered: "content_filter",
});

export function finishReason(stopReason: unknown): string {
  return (typeof stopReason === "string" ? STOP_REASONS[stopReason] : undefined) ?? "stop";
}

/** Converse usage: `inputTokens` is the uncached remainder, so prompt = input + cache read + cache write. */
export function usageFromConverse(value: unknown): NormalizedUsage | null {
  if (!isRecord(value)) return null;
  const cachedTokens = count(value["cacheReadInputTokens"]);
  const cacheWriteTokens = count(value["cacheWriteInputTokens"]);
  return {
    promptTokens: count(value["inputTokens"]) + cachedTokens + cacheWriteTokens,
    completionTokens: count(value["outputTokens"]),
    cachedTokens,
    cacheWriteTokens,
    reasoningTokens: 0,
  };
}

/** OpenAI `usage` object of a normalised usage (total = prompt + completion, §8.5). */
export function openAiUsage(u: NormalizedUsage): Record<string, unknown> {
  return {
    prompt_tokens: u.promptTokens,
    completion_tokens: u.completionTokens,
    total_tokens: u.promptTokens + u.completionTokens,
    prompt_tokens_details: { cached_tokens: u.cachedTokens, cache_write_tokens: u.cacheWriteTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  };
}

/**
 * Converse bodies carry no response id, so the id is derived from the upstream bytes (the first event-stream
 * message, or the whole body): stable for the same response, different across responses (Bedrock pads
 * events with random `p` fields).
 */
export function completionId(bytes: Uint8Array): string {
  return `chatcmpl-${createHash("sha256").update(bytes).digest("hex").slice(0, 24)}`;
}

/**
 * Converse responses name no model and the contract does not pass the client's model to the response side,
 * so chunks and completions report this placeholder (never an empty string, §8.2).
 */
export const RESPONSE_MODEL = "bedrock";

/**
 * `created` (unix seconds) from the request time, when the pipeline passes it (`parseChatResponse(body, now)`
 * / `StreamOptions.now`, a proposed contract extension); 0 when it does not — Converse sends no timestamp.
 */
export function createdOf(now: number | undefined): number {
  return typeof now === "number" && Number.isFinite(now) ? Math.floor(now / 1000) : 0;
}
