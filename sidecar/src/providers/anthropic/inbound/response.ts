/** Canonical `chat.completion` → Messages API `message` (pure). */
import { isRecord, parseJsonBytes } from "../../shared/json-bytes";
import { messageId, messageUsage, stopFor, toolInput } from "./mapping";

/** The Message body for an OpenAI chat completion's bytes, or null when they are not one. */
export function chatToMessage(bytes: Uint8Array, fallbackModel: string): Buffer | null {
  const json = parseJsonBytes(bytes);
  if (!isRecord(json) || !Array.isArray(json["choices"])) return null;
  const choice: unknown = json["choices"][0];
  const message = isRecord(choice) && isRecord(choice["message"]) ? choice["message"] : {};
  const content: unknown[] = [];
  const text = message["content"];
  if (typeof text === "string" && text !== "") content.push({ type: "text", text });
  const calls = Array.isArray(message["tool_calls"]) ? message["tool_calls"] : [];
  for (const call of calls as unknown[]) {
    if (!isRecord(call) || !isRecord(call["function"])) continue;
    const fn = call["function"];
    content.push({ type: "tool_use", id: String(call["id"] ?? ""), name: String(fn["name"] ?? ""), input: toolInput(fn["arguments"]) });
  }
  const stop = isRecord(choice) ? stopFor(choice["finish_reason"], choice["stop_reason"]) : stopFor(null, null);
  const model = typeof json["model"] === "string" && json["model"] !== "" ? json["model"] : fallbackModel;
  return Buffer.from(
    JSON.stringify({
      id: messageId(json["id"]),
      type: "message",
      role: "assistant",
      model,
      content,
      stop_reason: stop.reason === "end_turn" && calls.length > 0 ? "tool_use" : stop.reason,
      stop_sequence: stop.sequence,
      usage: messageUsage(json["usage"]),
    }),
  );
}
