/**
 * The mock's deterministic Converse answer, with the same behaviour as the OpenAI mock: content =
 * "echo: " + the last user text, tool calls when tools are offered and the text says `call <name>`
 * (or toolChoice forces one), usage from the mock formula (usage.ts) over the Converse messages.
 */
import { echoWords } from "../completion";
import { argsFromSchema, selectToolCalls } from "../tool-calls";
import type { ToolChoice, ToolFunction } from "../types";
import { TOKENS_PER_MESSAGE, textTokens } from "../usage";

export interface ConverseToolUse {
  toolUseId: string;
  name: string;
  input: Record<string, unknown>;
}

export interface ConversePlan {
  words: string[];
  toolUses: ConverseToolUse[];
  stopReason: "end_turn" | "max_tokens" | "tool_use";
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** Text blocks of a content array joined with "\n" (the mock's contentText rule). */
export function blocksText(content: unknown): string {
  if (!Array.isArray(content)) return "";
  return content.filter((b): b is Json => isObject(b) && typeof b["text"] === "string").map((b) => b["text"] as string).join("\n");
}

/** Narrow check of a Converse body; returns an error message or null. */
export function checkConverse(body: unknown): string | null {
  if (!isObject(body)) return "The request body must be a JSON object.";
  const messages = body["messages"];
  if (!Array.isArray(messages) || messages.length === 0) return "A conversation must contain at least one message.";
  for (const m of messages) {
    if (!isObject(m) || (m["role"] !== "user" && m["role"] !== "assistant") || !Array.isArray(m["content"])) {
      return "Each message needs role user|assistant and a content array.";
    }
  }
  if ((messages[0] as Json)["role"] !== "user") return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
  return null;
}

/** The last user message's text (raw, directives not yet stripped). */
export function lastUserText(body: Json): string {
  const messages = body["messages"] as Json[];
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.["role"] === "user") return blocksText(messages[i]?.["content"]);
  return "";
}

function tools(body: Json): { tools: ToolFunction[]; choice: ToolChoice } {
  const config = body["toolConfig"];
  if (!isObject(config) || !Array.isArray(config["tools"])) return { tools: [], choice: "none" };
  const list: ToolFunction[] = [];
  for (const t of config["tools"]) {
    const spec = isObject(t) ? t["toolSpec"] : undefined;
    if (isObject(spec) && typeof spec["name"] === "string") {
      const schema = isObject(spec["inputSchema"]) ? spec["inputSchema"]["json"] : undefined;
      list.push({ name: spec["name"], parameters: schema });
    }
  }
  const c = config["toolChoice"];
  let choice: ToolChoice = "auto";
  if (isObject(c) && isObject(c["any"])) choice = "required";
  else if (isObject(c) && isObject(c["tool"]) && typeof c["tool"]["name"] === "string") choice = { name: c["tool"]["name"] };
  return { tools: list, choice };
}

export function promptTokens(body: Json): number {
  let total = 0;
  if (Array.isArray(body["system"]) && body["system"].length > 0) total += textTokens(blocksText(body["system"])) + TOKENS_PER_MESSAGE;
  for (const m of body["messages"] as Json[]) total += textTokens(blocksText(m["content"])) + TOKENS_PER_MESSAGE;
  return total;
}

export function planConverse(body: Json, userText: string, fixedWords: number | undefined, nextToolUseId: () => string): ConversePlan {
  const offered = tools(body);
  const calls = selectToolCalls(offered.tools, offered.choice, userText);
  const prompt = promptTokens(body);
  if (calls.length > 0) {
    const toolUses = calls.map((t) => ({ toolUseId: nextToolUseId(), name: t.name, input: argsFromSchema(t.parameters) }));
    const output = toolUses.reduce((n, u) => n + textTokens(u.name + JSON.stringify(u.input)), 0);
    return { words: [], toolUses, stopReason: "tool_use", usage: { inputTokens: prompt, outputTokens: output, totalTokens: prompt + output } };
  }
  let words = echoWords(userText, fixedWords);
  let stopReason: ConversePlan["stopReason"] = "end_turn";
  const inference = body["inferenceConfig"];
  const max = isObject(inference) ? inference["maxTokens"] : undefined;
  if (typeof max === "number" && max < words.length) {
    words = words.slice(0, max);
    stopReason = "max_tokens";
  }
  return { words, toolUses: [], stopReason, usage: { inputTokens: prompt, outputTokens: words.length, totalTokens: prompt + words.length } };
}

/** The non-stream Converse response body. */
export function converseResponse(plan: ConversePlan): Json {
  const content = plan.toolUses.length > 0 ? plan.toolUses.map((toolUse) => ({ toolUse })) : [{ text: plan.words.join(" ") }];
  return { output: { message: { role: "assistant", content } }, stopReason: plan.stopReason, usage: plan.usage, metrics: { latencyMs: 1 } };
}
