/**
 * The Anthropic mock's pure part: request checks, the echo/tool-call plan and the response bodies and SSE
 * events in Anthropic's wire format. Same deterministic behaviour as the OpenAI mock (completion.ts):
 * content = "echo: " + last user text, usage from usage.ts, tool calls for `call <name>`.
 */
import { echoWords } from "../completion";
import { parseDirectives, type MockDirectives } from "../directives";
import { argsFromSchema, selectToolCalls, splitArguments } from "../tool-calls";
import type { ChatMessage, ToolChoice } from "../types";
import { promptTokens, textTokens } from "../usage";

export interface AnthropicError {
  status: number;
  type: string;
  message: string;
  headers: Record<string, string>;
}

export interface Plan {
  id: string;
  model: string;
  /** Text answer words (empty with tool calls). */
  words: string[];
  tools: Array<{ id: string; name: string; input: Record<string, unknown> }>;
  stopReason: "end_turn" | "max_tokens" | "tool_use";
  inputTokens: number;
  outputTokens: number;
  /** Prompt caching: tokens of the `cache_control` text blocks, written on first sight, read after. */
  cacheCreationTokens: number;
  cacheReadTokens: number;
  directives: MockDirectives;
}

/** Remembers cached prefixes across requests: returns true when `key` was cached before (and caches it). */
export type PromptCache = (key: string) => boolean;

/** Text of every text block marked with `cache_control`, in system and messages (the mock's cached prefix). */
function cachedTexts(body: Record<string, unknown>): string[] {
  const blocks: unknown[] = [];
  if (Array.isArray(body["system"])) blocks.push(...(body["system"] as unknown[]));
  for (const m of Array.isArray(body["messages"]) ? (body["messages"] as unknown[]) : []) {
    if (isObject(m) && Array.isArray(m["content"])) blocks.push(...(m["content"] as unknown[]));
  }
  return blocks.filter((b): b is { text: string } => isObject(b) && isObject(b["cache_control"]) && b["type"] === "text" && typeof b["text"] === "string").map((b) => b.text);
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

export function errorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

export function errorBody(type: string, message: string, requestId: string): string {
  return JSON.stringify({ type: "error", error: { type, message }, request_id: requestId });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Text of a user turn: the string, or its text blocks joined (tool_result blocks are not user text). */
function userText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.filter((b): b is { type: "text"; text: string } => isObject(b) && b["type"] === "text" && typeof b["text"] === "string").map((b) => b.text).join("\n");
}

function toolChoice(raw: unknown): ToolChoice {
  if (!isObject(raw)) return "auto";
  if (raw["type"] === "any") return "required";
  if (raw["type"] === "none") return "none";
  if (raw["type"] === "tool" && typeof raw["name"] === "string") return { name: raw["name"] };
  return "auto";
}

/** Checks the fields Anthropic requires; returns an error or the plan. */
export function planMessages(body: unknown, id: string, nextToolId: () => string, cache: PromptCache = () => false): Plan | AnthropicError {
  const bad = (message: string): AnthropicError => ({ status: 400, type: "invalid_request_error", message, headers: {} });
  if (!isObject(body)) return bad("Request body must be a JSON object.");
  const { model, max_tokens: maxTokens, messages } = body;
  if (typeof model !== "string" || model === "") return bad("model: Field required");
  if (!Number.isInteger(maxTokens) || (maxTokens as number) < 1) return bad("max_tokens: Field required");
  if (!Array.isArray(messages) || messages.length === 0) return bad("messages: at least one message is required");
  const turns = messages as ChatMessage[];
  const lastUser = [...turns].reverse().find((m) => m.role === "user");
  const parsed = parseDirectives(userText(lastUser?.content));
  if (parsed.invalid.length > 0) return bad(`Unknown mock directive(s): ${parsed.invalid.join(", ")}`);
  const system = typeof body["system"] === "string" ? body["system"] : userText(body["system"]);
  const prompt = promptTokens(turns) + (system === "" ? 0 : textTokens(system) + 3);
  const cached = cachedTexts(body);
  const cachedTokens = Math.min(cached.reduce((n, t) => n + textTokens(t), 0), prompt);
  const hit = cached.length > 0 && cache(cached.join("\u0000"));
  const inputTokens = prompt - cachedTokens;
  const rawTools = Array.isArray(body["tools"]) ? (body["tools"] as unknown[]).filter(isObject) : [];
  const toolDefs = rawTools.filter((t) => typeof t["name"] === "string").map((t) => ({ name: t["name"] as string, parameters: t["input_schema"] }));
  const calls = selectToolCalls(toolDefs, toolChoice(body["tool_choice"]), parsed.text);
  const base = { id, model, inputTokens, directives: parsed.directives, cacheCreationTokens: hit ? 0 : cachedTokens, cacheReadTokens: hit ? cachedTokens : 0 };
  if (calls.length > 0) {
    const tools = calls.map((t) => ({ id: nextToolId(), name: t.name, input: argsFromSchema(t.parameters) }));
    const outputTokens = tools.reduce((n, t) => n + textTokens(t.name + JSON.stringify(t.input)), 0);
    return { ...base, words: [], tools, stopReason: "tool_use", outputTokens };
  }
  let words = echoWords(parsed.text, parsed.directives.words);
  let stopReason: Plan["stopReason"] = "end_turn";
  if ((maxTokens as number) < words.length) {
    words = words.slice(0, maxTokens as number);
    stopReason = "max_tokens";
  }
  return { ...base, words, tools: [], stopReason, outputTokens: words.length };
}

/** The non-streaming Message body. */
export function messageBody(plan: Plan): Record<string, unknown> {
  const content: unknown[] = plan.words.length > 0 ? [{ type: "text", text: plan.words.join(" ") }] : [];
  for (const t of plan.tools) content.push({ type: "tool_use", id: t.id, name: t.name, input: t.input });
  return {
    id: plan.id,
    type: "message",
    role: "assistant",
    model: plan.model,
    content,
    stop_reason: plan.stopReason,
    stop_sequence: null,
    usage: { input_tokens: plan.inputTokens, cache_creation_input_tokens: plan.cacheCreationTokens, cache_read_input_tokens: plan.cacheReadTokens, output_tokens: plan.outputTokens },
  };
}

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** The SSE events of a streamed answer, one string per event, in Anthropic's order. */
export function streamEvents(plan: Plan): string[] {
  const start = { ...messageBody(plan), content: [], stop_reason: null, usage: { input_tokens: plan.inputTokens, cache_creation_input_tokens: plan.cacheCreationTokens, cache_read_input_tokens: plan.cacheReadTokens, output_tokens: 1 } };
  const out = [event("message_start", { message: start })];
  let index = 0;
  if (plan.words.length > 0) {
    out.push(event("content_block_start", { index, content_block: { type: "text", text: "" } }), event("ping", {}));
    plan.words.forEach((w, i) => out.push(event("content_block_delta", { index, delta: { type: "text_delta", text: i === 0 ? w : ` ${w}` } })));
    out.push(event("content_block_stop", { index }));
    index++;
  }
  for (const t of plan.tools) {
    out.push(event("content_block_start", { index, content_block: { type: "tool_use", id: t.id, name: t.name, input: {} } }));
    for (const piece of ["", ...splitArguments(JSON.stringify(t.input))]) {
      out.push(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: piece } }));
    }
    out.push(event("content_block_stop", { index }));
    index++;
  }
  out.push(event("message_delta", { delta: { stop_reason: plan.stopReason, stop_sequence: null }, usage: { output_tokens: plan.outputTokens } }));
  out.push(event("message_stop", {}));
  return out;
}
