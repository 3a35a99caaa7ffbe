import { invalidRequest, type MockError } from "./errors";
import type { ChatMessage, ChatRequest, ToolChoice, ToolFunction } from "./types";

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: MockError };

const MAX_N = 128;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Narrow check of a chat completions body: only the fields the mock acts on. */
export function parseChatRequest(body: unknown): Parsed<ChatRequest> {
  if (!isObject(body)) return fail("Request body must be a JSON object.", null);
  const { model, messages, stream, stream_options: streamOptions, n } = body;
  if (typeof model !== "string" || model.length === 0) {
    return fail("Missing required parameter: 'model'.", "model", "missing_required_parameter");
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    return fail("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  }
  for (let i = 0; i < messages.length; i++) {
    const m: unknown = messages[i];
    if (!isObject(m) || typeof m.role !== "string") return fail(`Invalid message at messages[${i}].`, `messages[${i}]`);
  }
  if (stream !== undefined && stream !== null && typeof stream !== "boolean") return fail("'stream' must be a boolean.", "stream");
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null && !(Number.isInteger(maxTokens) && (maxTokens as number) >= 0)) {
    return fail("'max_tokens' must be a non-negative integer.", "max_tokens");
  }
  if (n !== undefined && n !== null && !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_N)) {
    return fail(`'n' must be an integer between 1 and ${MAX_N}.`, "n");
  }
  const tools = parseTools(body.tools);
  if (!tools.ok) return tools;
  return {
    ok: true,
    value: {
      model,
      messages: messages as ChatMessage[],
      stream: stream === true,
      includeUsage: stream === true && isObject(streamOptions) && streamOptions.include_usage === true,
      maxTokens: typeof maxTokens === "number" ? maxTokens : undefined,
      n: typeof n === "number" ? n : 1,
      tools: tools.value,
      toolChoice: parseToolChoice(body.tool_choice),
    },
  };
}

function parseTools(raw: unknown): Parsed<ToolFunction[]> {
  if (raw === undefined || raw === null) return { ok: true, value: [] };
  if (!Array.isArray(raw)) return fail("'tools' must be an array.", "tools");
  const out: ToolFunction[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t: unknown = raw[i];
    if (!isObject(t) || !isObject(t.function) || typeof t.function.name !== "string") {
      return fail(`Invalid tool at tools[${i}]: expected {type:"function", function:{name}}.`, `tools[${i}]`);
    }
    out.push({ name: t.function.name, parameters: t.function.parameters });
  }
  return { ok: true, value: out };
}

function parseToolChoice(raw: unknown): ToolChoice {
  if (raw === "none" || raw === "auto" || raw === "required") return raw;
  if (isObject(raw) && isObject(raw.function) && typeof raw.function.name === "string") {
    return { name: raw.function.name };
  }
  return undefined;
}

function fail(message: string, param: string | null, code: string | null = null): { ok: false; error: MockError } {
  return { ok: false, error: invalidRequest(message, param, code) };
}

/** The last message with role "user" (undefined when there is none). */
export function lastUserMessage(messages: readonly ChatMessage[]): ChatMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.role === "user") return m;
  }
  return undefined;
}
