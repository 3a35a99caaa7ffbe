/** Canonical (OpenAI) finish reasons, usage and ids → the Messages API's (pure). */
import { count, isRecord } from "../../shared/json-bytes";
import type { StopReason } from "../wire";

export interface MessageUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/**
 * OpenAI `usage` → Messages usage. OpenAI's prompt_tokens include cached (and, from the canonical form,
 * cache-write) tokens; Anthropic's input_tokens exclude both.
 */
export function messageUsage(usage: unknown): MessageUsage {
  if (!isRecord(usage)) return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const details = isRecord(usage["prompt_tokens_details"]) ? usage["prompt_tokens_details"] : {};
  const cacheRead = count(details["cached_tokens"]);
  const cacheWrite = count(details["cache_write_tokens"]);
  return {
    input_tokens: Math.max(0, count(usage["prompt_tokens"]) - cacheRead - cacheWrite),
    output_tokens: count(usage["completion_tokens"]),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

export interface Stop {
  readonly reason: StopReason;
  readonly sequence: string | null;
}

/**
 * finish_reason → stop_reason. A `stop` that names the matched stop string (vLLM's `stop_reason`) is a
 * `stop_sequence`; OpenAI itself does not say which stop matched, so a plain `stop` is `end_turn`.
 */
export function stopFor(finish: unknown, matched: unknown): Stop {
  switch (finish) {
    case "length":
      return { reason: "max_tokens", sequence: null };
    case "tool_calls":
    case "function_call":
      return { reason: "tool_use", sequence: null };
    case "content_filter":
      return { reason: "refusal", sequence: null };
    default:
      return typeof matched === "string" && matched !== "" ? { reason: "stop_sequence", sequence: matched } : { reason: "end_turn", sequence: null };
  }
}

/** `msg_…` from a completion id (the `chatcmpl-` prefix dropped). */
export function messageId(completionId: unknown): string {
  if (typeof completionId !== "string" || completionId === "") return "msg_sidegate";
  return `msg_${completionId.startsWith("chatcmpl-") ? completionId.slice(9) : completionId}`;
}

/** Tool arguments as an object (`{}` for invalid JSON or a non-object, as the Messages API requires an object). */
export function toolInput(args: unknown): Record<string, unknown> {
  if (typeof args !== "string" || args === "") return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
