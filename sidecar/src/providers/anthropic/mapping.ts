/** stop_reason → finish_reason and Anthropic usage → canonical/OpenAI usage (providers.md §3.5, §8.5, §8.6). */
import type { NormalizedUsage } from "../types";
import { count, isRecord } from "./json";

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

const FINISH: Readonly<Record<string, FinishReason>> = Object.freeze({
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
});

/** Unknown or null stop reasons map to "stop" (never leak a provider value). */
export function finishReasonFor(stopReason: unknown): FinishReason {
  return (typeof stopReason === "string" ? FINISH[stopReason] : undefined) ?? "stop";
}

/** Raw Anthropic usage counters as they accumulate over a stream (later values overwrite earlier ones). */
export interface AnthropicCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  thinking: number;
}

export function emptyCounts(): AnthropicCounts {
  return { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, thinking: 0 };
}

/** Overwrites the counters present (non-null) in `usage`; output_tokens is cumulative, never summed. */
export function mergeCounts(into: AnthropicCounts, usage: unknown): void {
  if (!isRecord(usage)) return;
  if (typeof usage["input_tokens"] === "number") into.input = count(usage["input_tokens"]);
  if (typeof usage["output_tokens"] === "number") into.output = count(usage["output_tokens"]);
  if (typeof usage["cache_read_input_tokens"] === "number") into.cacheRead = count(usage["cache_read_input_tokens"]);
  if (typeof usage["cache_creation_input_tokens"] === "number") into.cacheCreation = count(usage["cache_creation_input_tokens"]);
  const details = usage["output_tokens_details"];
  if (isRecord(details) && typeof details["thinking_tokens"] === "number") into.thinking = count(details["thinking_tokens"]);
}

/** Prompt = input + cache reads + cache writes (Anthropic's input_tokens excludes both). */
export function normalizeCounts(c: AnthropicCounts): NormalizedUsage {
  return {
    promptTokens: c.input + c.cacheRead + c.cacheCreation,
    completionTokens: c.output,
    cachedTokens: c.cacheRead,
    cacheWriteTokens: c.cacheCreation,
    reasoningTokens: c.thinking,
  };
}

/** The OpenAI `usage` object for the client. */
export function openAiUsage(u: NormalizedUsage): Record<string, unknown> {
  return {
    prompt_tokens: u.promptTokens,
    completion_tokens: u.completionTokens,
    total_tokens: u.promptTokens + u.completionTokens,
    prompt_tokens_details: { cached_tokens: u.cachedTokens, cache_write_tokens: u.cacheWriteTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  };
}

/** One `chatcmpl-…` id per response, derived from the message id. */
export function completionId(messageId: unknown): string {
  return typeof messageId === "string" && messageId !== "" ? `chatcmpl-${messageId}` : "chatcmpl-anthropic";
}

/** Unix seconds for `created`, from the request time when the pipeline supplies it (adapters read no clock). */
export function createdAt(now: number | undefined): number {
  return now === undefined ? 0 : Math.floor(now / 1000);
}
