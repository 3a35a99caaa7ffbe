/** Anthropic Message → OpenAI `chat.completion` (providers.md §3.4, §3.5). */
import type { ParsedResponse } from "../types";
import { isRecord, tryParse, utf8 } from "./json";
import { completionId, createdAt, emptyCounts, finishReasonFor, mergeCounts, normalizeCounts, openAiUsage } from "./mapping";
import { JSON_TOOL_NAME } from "./tools";

interface ToolCallOut {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/**
 * `now` (request time, ms) fills `created` when the pipeline passes it; the contract's one-argument call
 * gets `created: 0`. Text blocks are concatenated, tool_use blocks become tool_calls (the reserved
 * structured-output tool becomes content instead), thinking becomes ext `reasoning_content`, server-tool
 * blocks are dropped.
 */
export function parseChatResponse(body: Uint8Array, now?: number): ParsedResponse {
  const json = tryParse(utf8(body));
  if (!isRecord(json) || !Array.isArray(json["content"])) return { ok: false, reason: "response is not an Anthropic message" };
  let text: string | null = null;
  let reasoning: string | null = null;
  const toolCalls: ToolCallOut[] = [];
  for (const block of json["content"] as unknown[]) {
    if (!isRecord(block)) continue;
    const type = block["type"];
    if (type === "text" && typeof block["text"] === "string") text = (text ?? "") + block["text"];
    else if (type === "thinking" && typeof block["thinking"] === "string") reasoning = (reasoning ?? "") + block["thinking"];
    else if (type === "tool_use" && typeof block["name"] === "string") {
      const args = JSON.stringify(isRecord(block["input"]) ? block["input"] : {});
      if (block["name"] === JSON_TOOL_NAME) text = (text ?? "") + args;
      else toolCalls.push({ id: String(block["id"]), type: "function", function: { name: block["name"], arguments: args } });
    }
  }
  let finish = finishReasonFor(json["stop_reason"]);
  if (finish === "tool_calls" && toolCalls.length === 0) finish = "stop"; // only the structured-output tool was called
  const counts = emptyCounts();
  mergeCounts(counts, json["usage"]);
  const usage = normalizeCounts(counts);
  const message: Record<string, unknown> = { role: "assistant", content: text, refusal: null };
  if (toolCalls.length > 0) message["tool_calls"] = toolCalls;
  if (reasoning !== null) message["reasoning_content"] = reasoning;
  const out = {
    id: completionId(json["id"]),
    object: "chat.completion",
    created: createdAt(now),
    model: typeof json["model"] === "string" && json["model"] !== "" ? json["model"] : "unknown",
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: openAiUsage(usage),
  };
  return { ok: true, body: Buffer.from(JSON.stringify(out)), usage, finishReason: finish };
}
