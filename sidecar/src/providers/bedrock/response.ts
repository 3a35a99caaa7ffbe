/**
 * Converse response → OpenAI `chat.completion`: text blocks joined into `content`, toolUse blocks →
 * `tool_calls` (arguments = JSON.stringify(input)), reasoning text → ext `reasoning_content`, stopReason →
 * finish_reason, usage per §8.5. The forced JSON tool (tools.ts) comes back as `content` with "stop".
 */
import type { ParsedResponse } from "../types";
import { isRecord, parseJsonBytes, type Json } from "./json";
import { completionId, createdOf, finishReason, openAiUsage, RESPONSE_MODEL, usageFromConverse } from "./mapping";
import { JSON_TOOL } from "./tools";

interface Message {
  content: string | null;
  reasoning: string | null;
  toolCalls: Json[];
  jsonOutput: boolean;
}

export function parseChatResponse(body: Uint8Array, now?: number, model: string = RESPONSE_MODEL): ParsedResponse {
  const json = parseJsonBytes(body);
  if (!isRecord(json)) return { ok: false, reason: "response body is not a JSON object" };
  const output = json["output"];
  const message = isRecord(output) ? output["message"] : undefined;
  if (!isRecord(message) || !Array.isArray(message["content"])) return { ok: false, reason: "response has no output.message.content" };
  const parts = readContent(message["content"]);
  let finish = finishReason(json["stopReason"]);
  if (finish === "tool_calls" && parts.toolCalls.length === 0) finish = "stop";
  const usage = usageFromConverse(json["usage"]);
  const out: Json = { role: "assistant", content: parts.content, refusal: null };
  if (parts.reasoning !== null) out["reasoning_content"] = parts.reasoning;
  if (parts.toolCalls.length > 0) out["tool_calls"] = parts.toolCalls;
  const completion: Json = {
    id: completionId(body),
    object: "chat.completion",
    created: createdOf(now),
    model,
    choices: [{ index: 0, message: out, logprobs: null, finish_reason: finish }],
  };
  if (usage !== null) completion["usage"] = openAiUsage(usage);
  return { ok: true, body: Buffer.from(JSON.stringify(completion)), usage, finishReason: finish };
}

function readContent(blocks: unknown[]): Message {
  let texts: string[] = [];
  const jsonTexts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: Json[] = [];
  let jsonOutput = false;
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    if (typeof block["text"] === "string") texts.push(block["text"]);
    const use = block["toolUse"];
    if (isRecord(use)) {
      const args = JSON.stringify(use["input"] ?? {});
      if (use["name"] === JSON_TOOL) {
        jsonTexts.push(args);
        jsonOutput = true;
      } else {
        toolCalls.push({ id: String(use["toolUseId"] ?? ""), type: "function", function: { name: String(use["name"] ?? ""), arguments: args } });
      }
    }
    const rc = block["reasoningContent"];
    if (isRecord(rc) && isRecord(rc["reasoningText"]) && typeof rc["reasoningText"]["text"] === "string") reasoning.push(rc["reasoningText"]["text"]);
  }
  // In JSON mode the answer is the forced tool's input alone (any preamble text is not part of it).
  if (jsonOutput) texts = jsonTexts;
  return {
    content: texts.length > 0 ? texts.join("") : null,
    reasoning: reasoning.length > 0 ? reasoning.join("") : null,
    toolCalls,
    jsonOutput,
  };
}
