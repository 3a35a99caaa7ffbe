/**
 * OpenAI messages → Converse `system` + `messages`. System/developer messages become system blocks in order;
 * assistant tool_calls become toolUse blocks; tool messages become toolResult blocks in a user turn;
 * consecutive same-role turns are merged (Converse wants alternating roles), so tool results and the user
 * text after them form one user turn with the results first.
 */
import { textBlock, textOf, userBlocks, type Block } from "./content";
import { invalidParam, isRecord, parseJsonText } from "./json";

export interface ConverseMessage {
  role: "user" | "assistant";
  content: Block[];
}

export interface ConvertedMessages {
  readonly system: Block[];
  readonly messages: ConverseMessage[];
  /** Tool names used by toolUse blocks in the history (Converse needs toolConfig when any tool block is present). */
  readonly historyTools: string[];
  readonly hasToolBlocks: boolean;
}

/** Converse rejects blank text, also inside tool results. */
export const EMPTY_TOOL_RESULT = "(empty)";

export function convertMessages(raw: unknown): ConvertedMessages {
  if (!Array.isArray(raw) || raw.length === 0) throw invalidParam("messages", "messages must be a non-empty array.");
  const system: Block[] = [];
  const messages: ConverseMessage[] = [];
  const historyTools = new Set<string>();
  const documentNames = new Set<string>();
  let hasToolBlocks = false;
  const append = (role: "user" | "assistant", content: Block[]): void => {
    if (content.length === 0) return;
    const last = messages[messages.length - 1];
    if (last !== undefined && last.role === role) last.content.push(...content);
    else messages.push({ role, content });
  };
  raw.forEach((m: unknown, i) => {
    const param = `messages[${i}]`;
    if (!isRecord(m)) throw invalidParam(param, "A message must be an object.");
    switch (m["role"]) {
      case "system":
      case "developer": {
        const block = textBlock(textOf(m["content"], `${param}.content`));
        if (block !== null) system.push(block);
        return;
      }
      case "user":
        return append("user", userBlocks(m["content"], `${param}.content`, documentNames));
      case "assistant": {
        const blocks = assistantBlocks(m, param);
        for (const b of blocks) {
          const use = b["toolUse"];
          if (isRecord(use)) historyTools.add(String(use["name"]));
        }
        hasToolBlocks ||= blocks.some((b) => b["toolUse"] !== undefined);
        return append("assistant", blocks);
      }
      case "tool":
        hasToolBlocks = true;
        return append("user", [toolResultBlock(m, param)]);
      default:
        throw invalidParam(`${param}.role`, `Role ${JSON.stringify(m["role"])} is not supported by Bedrock Converse.`);
    }
  });
  return { system, messages, historyTools: [...historyTools], hasToolBlocks };
}

function assistantBlocks(m: Record<string, unknown>, param: string): Block[] {
  const blocks: Block[] = [];
  const text = textBlock(textOf(m["content"], `${param}.content`));
  if (text !== null) blocks.push(text);
  const calls = m["tool_calls"];
  if (calls === undefined || calls === null) return blocks;
  if (!Array.isArray(calls)) throw invalidParam(`${param}.tool_calls`, "tool_calls must be an array.");
  calls.forEach((call: unknown, k) => {
    const fn = isRecord(call) ? call["function"] : undefined;
    if (!isRecord(call) || typeof call["id"] !== "string" || !isRecord(fn) || typeof fn["name"] !== "string") {
      throw invalidParam(`${param}.tool_calls[${k}]`, "A tool call needs an id and function.name.");
    }
    blocks.push({ toolUse: { toolUseId: call["id"], name: fn["name"], input: toolInput(fn["arguments"]) } });
  });
  return blocks;
}

/** `arguments` is a JSON string; anything that is not a JSON object (incl. invalid JSON) becomes `{}`. */
export function toolInput(args: unknown): Record<string, unknown> {
  const parsed = typeof args === "string" ? parseJsonText(args) : args;
  return isRecord(parsed) ? parsed : {};
}

function toolResultBlock(m: Record<string, unknown>, param: string): Block {
  const id = m["tool_call_id"];
  if (typeof id !== "string" || id === "") throw invalidParam(`${param}.tool_call_id`, "A tool message needs tool_call_id.");
  const text = textOf(m["content"], `${param}.content`);
  return { toolResult: { toolUseId: id, content: [{ text: text.trim() === "" ? EMPTY_TOOL_RESULT : text }] } };
}
