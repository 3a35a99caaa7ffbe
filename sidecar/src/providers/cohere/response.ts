import type { ParsedResponse } from "../types";
import { isObject, parseJsonBytes } from "../shared/json-bytes";
import { openAiUsage } from "../shared/openai-usage";
import { cohereFinish, cohereUsage } from "./finish";
import { validArguments } from "./messages";

/**
 * Cohere responses carry no model name; the contract passes none to parse/decoder yet, so an optional
 * `model` is accepted (the pipeline can pass the public model name) and FALLBACK_MODEL is used otherwise.
 */
export const FALLBACK_MODEL = "cohere";

/** `created` (unix seconds) from the request time (0 when the caller passes none). */
export function createdAt(now: number | undefined): number {
  return typeof now === "number" && Number.isFinite(now) ? Math.floor(now / 1000) : 0;
}

export function chatId(id: unknown): string {
  return `chatcmpl-${typeof id === "string" && id !== "" ? id : "cohere"}`;
}

/** Cohere `/v2/chat` response → OpenAI `chat.completion` (§6.3). */
export function parseCohereResponse(body: Uint8Array, now?: number, model: string = FALLBACK_MODEL): ParsedResponse {
  const json = parseJsonBytes(body);
  if (!isObject(json) || !isObject(json["message"])) return { ok: false, reason: "response body is not a Cohere chat response" };
  const m = json["message"];
  let text = "";
  let thinking = "";
  for (const part of Array.isArray(m["content"]) ? m["content"] : []) {
    if (!isObject(part)) continue;
    if (part["type"] === "text" && typeof part["text"] === "string") text += part["text"];
    else if (part["type"] === "thinking" && typeof part["thinking"] === "string") thinking += part["thinking"];
  }
  const calls = Array.isArray(m["tool_calls"]) ? m["tool_calls"].filter(isObject).map(toolCall) : [];
  const finishReason = calls.length > 0 && json["finish_reason"] === "COMPLETE" ? "tool_calls" : cohereFinish(json["finish_reason"]);
  const message: Record<string, unknown> = { role: "assistant", content: text === "" && calls.length > 0 ? null : text, refusal: null };
  if (calls.length > 0) message["tool_calls"] = calls;
  if (thinking !== "") message["reasoning_content"] = thinking;
  const usage = cohereUsage(json["usage"]);
  const out: Record<string, unknown> = {
    id: chatId(json["id"]),
    object: "chat.completion",
    created: createdAt(now),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
  };
  if (usage !== null) out["usage"] = openAiUsage(usage);
  return { ok: true, body: Buffer.from(JSON.stringify(out)), usage, finishReason };
}

function toolCall(c: Record<string, unknown>): Record<string, unknown> {
  const fn = isObject(c["function"]) ? c["function"] : {};
  return { id: String(c["id"] ?? ""), type: "function", function: { name: String(fn["name"] ?? ""), arguments: validArguments(fn["arguments"]) } };
}
