/**
 * OpenAI `messages` → Gemini `systemInstruction` + `contents` (providers.md §4.3, §4.4).
 *
 * - system/developer messages are hoisted into `systemInstruction`, one text part each, in order (a
 *   system message in mid-conversation has no native slot: it is hoisted too);
 * - assistant → role `model`: a text part, then one `functionCall` part per tool call, each with the
 *   Gemini id and `thoughtSignature` decoded from the tool-call id (see tool-ids.ts);
 * - consecutive tool messages → ONE user content of `functionResponse` parts, ordered like the calls;
 *   the function name comes from the assistant `tool_calls` with that id (OpenAI tool messages carry no
 *   name) — an unknown `tool_call_id` is rejected. `response` must be an object: content that parses to
 *   a JSON object is used as is, anything else is wrapped as `{result: …}`;
 * - tool-call `arguments` that are not a JSON object are sent as `{}` (never a crash).
 */
import { type Dialect, textOf, userParts } from "./parts";
import { invalid, isRecord, parseJsonText, type Json } from "./json";
import { decodeToolCallId } from "./tool-ids";

export interface ConvertedMessages {
  readonly systemInstruction: Json | undefined;
  readonly contents: Json[];
}

interface KnownCall {
  readonly name: string;
  readonly order: number;
  readonly geminiId: string | undefined;
}

export function convertMessages(messages: unknown, dialect: Dialect): ConvertedMessages {
  if (!Array.isArray(messages) || messages.length === 0) throw invalid("'messages' must be a non-empty array.", "messages");
  const system: Json[] = [];
  const contents: Json[] = [];
  let calls = new Map<string, KnownCall>();
  let i = 0;
  while (i < messages.length) {
    const m: unknown = messages[i];
    const param = `messages[${i}]`;
    if (!isRecord(m)) throw invalid("Each message must be an object.", param);
    const role = m["role"];
    if (role === "tool") {
      const end = toolRunEnd(messages, i);
      contents.push({ role: "user", parts: toolResponses(messages, i, end, calls) });
      i = end;
      continue;
    }
    if (role === "system" || role === "developer") {
      const text = textOf(m["content"], `${param}.content`);
      if (text !== "") system.push({ text });
    } else if (role === "user") {
      contents.push({ role: "user", parts: userParts(m["content"], `${param}.content`, dialect) });
    } else if (role === "assistant") {
      calls = new Map();
      const parts = assistantParts(m, param, calls);
      if (parts.length > 0) contents.push({ role: "model", parts });
    } else {
      throw invalid(`Message role '${String(role)}' is not supported by this provider.`, `${param}.role`);
    }
    i++;
  }
  return { systemInstruction: system.length > 0 ? { parts: system } : undefined, contents };
}

function toolRunEnd(messages: unknown[], start: number): number {
  let end = start;
  while (end < messages.length && isRecord(messages[end]) && (messages[end] as Json)["role"] === "tool") end++;
  return end;
}

function assistantParts(m: Json, param: string, calls: Map<string, KnownCall>): Json[] {
  const parts: Json[] = [];
  const text = textOf(m["content"], `${param}.content`);
  if (text !== "") parts.push({ text });
  const toolCalls = m["tool_calls"];
  if (toolCalls === undefined || toolCalls === null) return parts;
  if (!Array.isArray(toolCalls)) throw invalid("tool_calls must be an array.", `${param}.tool_calls`);
  toolCalls.forEach((call, k) => {
    const p = `${param}.tool_calls[${k}]`;
    const fn = isRecord(call) ? call["function"] : undefined;
    if (!isRecord(call) || !isRecord(fn) || typeof fn["name"] !== "string") throw invalid("Tool call needs function.name.", p);
    const id = typeof call["id"] === "string" ? call["id"] : "";
    const state = decodeToolCallId(id);
    const functionCall: Json = { name: fn["name"], args: parseArgs(fn["arguments"]) };
    if (state.geminiId !== undefined) functionCall["id"] = state.geminiId;
    const part: Json = { functionCall };
    if (state.thoughtSignature !== undefined) part["thoughtSignature"] = state.thoughtSignature;
    parts.push(part);
    if (id !== "") calls.set(id, { name: fn["name"], order: k, geminiId: state.geminiId });
  });
  return parts;
}

/** `arguments` is a JSON string; anything that is not a JSON object becomes `{}`. */
export function parseArgs(raw: unknown): Json {
  if (isRecord(raw)) return raw;
  if (typeof raw !== "string") return {};
  const parsed = parseJsonText(raw);
  return isRecord(parsed) ? parsed : {};
}

function toolResponses(messages: unknown[], start: number, end: number, calls: Map<string, KnownCall>): Json[] {
  const out: { order: number; part: Json }[] = [];
  for (let i = start; i < end; i++) {
    const m = messages[i] as Json;
    const id = m["tool_call_id"];
    const known = typeof id === "string" ? calls.get(id) : undefined;
    if (known === undefined) {
      throw invalid("tool_call_id does not match a tool call of the preceding assistant message.", `messages[${i}].tool_call_id`);
    }
    const functionResponse: Json = { name: known.name, response: toolResponse(textOf(m["content"], `messages[${i}].content`)) };
    if (known.geminiId !== undefined) functionResponse["id"] = known.geminiId;
    out.push({ order: known.order, part: { functionResponse } });
  }
  return out.sort((a, b) => a.order - b.order).map((o) => o.part);
}

function toolResponse(text: string): Json {
  const parsed = parseJsonText(text);
  if (isRecord(parsed)) return parsed;
  return { result: parsed === undefined ? text : parsed };
}
