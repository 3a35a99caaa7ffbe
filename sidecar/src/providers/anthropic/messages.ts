/**
 * The message conversion algorithm (providers.md §3.3): system/developer hoisted into `system`, tool
 * messages become `tool_result` blocks of a user turn, consecutive same-role turns are merged, and in a
 * user turn every `tool_result` block comes before the other blocks.
 */
import { textBlock, textOf, userBlocks } from "./content";
import { invalid, isRecord, tryParse } from "./json";
import type { AssistantContentBlock, MessageParam, ToolResultBlock, ToolUseBlock, UserContentBlock } from "./wire";

export interface ConvertedMessages {
  /** The system/developer texts in order, joined by a blank line; undefined when there are none. */
  readonly system: string | undefined;
  readonly messages: MessageParam[];
}

interface Turn {
  role: "user" | "assistant";
  /** user turns: tool_result blocks, kept ahead of `rest` */
  results: ToolResultBlock[];
  rest: (UserContentBlock | AssistantContentBlock)[];
}

export function convertMessages(raw: unknown): ConvertedMessages {
  if (!Array.isArray(raw)) throw invalid("messages", "'messages' must be an array.");
  const system: string[] = [];
  const turns: Turn[] = [];
  raw.forEach((message: unknown, i) => {
    const param = `messages[${i}]`;
    if (!isRecord(message)) throw invalid(param, "Each message must be an object.");
    const role = message["role"];
    if (role === "system" || role === "developer") {
      const text = textOf(message["content"], `${param}.content`);
      if (text !== "") system.push(text);
    } else if (role === "user") {
      addTo(turns, "user", [], userBlocks(message["content"], `${param}.content`));
    } else if (role === "assistant") {
      addTo(turns, "assistant", [], assistantBlocks(message, param));
    } else if (role === "tool") {
      addTo(turns, "user", [toolResult(message, param)], []);
    } else {
      throw invalid(`${param}.role`, `Message role '${String(role)}' is not supported by this provider.`);
    }
  });
  const messages = turns.map((turn) => ({ role: turn.role, content: [...turn.results, ...turn.rest] }) as MessageParam);
  if (messages.length === 0) throw invalid("messages", "At least one user or assistant message with content is required.");
  return { system: system.length > 0 ? system.join("\n\n") : undefined, messages };
}

/** Appends to the previous turn when the role repeats; a message without blocks adds no turn. */
function addTo(turns: Turn[], role: Turn["role"], results: ToolResultBlock[], rest: Turn["rest"]): void {
  if (results.length === 0 && rest.length === 0) return;
  const last = turns[turns.length - 1];
  if (last !== undefined && last.role === role) {
    last.results.push(...results);
    last.rest.push(...rest);
  } else {
    turns.push({ role, results, rest });
  }
}

/** Text first, then one tool_use per tool call (ids kept as-is: any string round-trips). */
function assistantBlocks(message: Record<string, unknown>, param: string): AssistantContentBlock[] {
  const out: AssistantContentBlock[] = [];
  const text = textOf(message["content"], `${param}.content`);
  if (text !== "") out.push(textBlock(text));
  const calls = message["tool_calls"];
  if (calls === undefined || calls === null) return out;
  if (!Array.isArray(calls)) throw invalid(`${param}.tool_calls`, "tool_calls must be an array.");
  calls.forEach((call: unknown, k) => out.push(toolUse(call, `${param}.tool_calls[${k}]`)));
  return out;
}

function toolUse(call: unknown, param: string): ToolUseBlock {
  const fn = isRecord(call) ? call["function"] : undefined;
  const id = isRecord(call) ? call["id"] : undefined;
  if (!isRecord(fn) || typeof fn["name"] !== "string" || typeof id !== "string") {
    throw invalid(param, "A tool call needs an id and function.name.");
  }
  return { type: "tool_use", id, name: fn["name"], input: toolInput(fn["arguments"]) };
}

/** `arguments` is a JSON string; Anthropic needs an object. Invalid JSON or a non-object becomes `{}`. */
export function toolInput(args: unknown): Record<string, unknown> {
  const parsed = typeof args === "string" ? tryParse(args) : args;
  return isRecord(parsed) ? parsed : {};
}

function toolResult(message: Record<string, unknown>, param: string): ToolResultBlock {
  const id = message["tool_call_id"];
  if (typeof id !== "string" || id === "") throw invalid(`${param}.tool_call_id`, "A tool message needs a tool_call_id.");
  const text = textOf(message["content"], `${param}.content`);
  return text === "" ? { type: "tool_result", tool_use_id: id } : { type: "tool_result", tool_use_id: id, content: text };
}
