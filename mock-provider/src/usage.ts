import type { ChatMessage, Usage } from "./types";

/**
 * Deterministic token accounting of the mock provider (documented in the README):
 * - text tokens of a string = ceil(utf8 bytes / 4)
 * - prompt_tokens = Σ over messages (textTokens(text of message) + 3)
 * - completion_tokens = number of whitespace-separated words of the content
 *   (tool calls: Σ textTokens(name + arguments))
 */
export const TOKENS_PER_MESSAGE = 3;

export function textTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / 4);
}

/** Text of a message content: the string itself, or the text parts joined with "\n". */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const part of content) {
    if (part !== null && typeof part === "object") {
      const p = part as { type?: unknown; text?: unknown };
      if (p.type === "text" && typeof p.text === "string") parts.push(p.text);
    }
  }
  return parts.join("\n");
}

export function promptTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const m of messages) total += textTokens(contentText(m.content)) + TOKENS_PER_MESSAGE;
  return total;
}

export function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

export function countWords(text: string): number {
  return splitWords(text).length;
}

export function makeUsage(prompt: number, completion: number): Usage {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}
