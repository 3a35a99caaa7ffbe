import { makeUsage, promptTokens, splitWords, textTokens } from "./usage";
import { argsFromSchema, selectToolCalls } from "./tool-calls";
import type { ChatRequest, CompletionPlan, FinishReason, PlannedChoice, ToolCall, Usage } from "./types";

export const SYSTEM_FINGERPRINT = "fp_sidegate_mock";

export interface PlanInput {
  request: ChatRequest;
  /** Text of the last user message with directives stripped and whitespace collapsed. */
  userText: string;
  id: string;
  created: number;
  /** Fixed response length in words (benchmarks); undefined = plain echo. */
  words?: number;
  nextToolCallId: () => string;
}

/** Echo words: "echo:" followed by the user text's words, optionally repeated/truncated to `fixed` words. */
export function echoWords(userText: string, fixed?: number): string[] {
  const words = ["echo:", ...splitWords(userText)];
  if (fixed === undefined) return words;
  const out: string[] = [];
  for (let i = 0; i < fixed; i++) out.push(words[i % words.length] as string);
  return out;
}

/** Everything the response (JSON or SSE) is built from; pure apart from the injected id source. */
export function planCompletion(input: PlanInput): CompletionPlan {
  const { request } = input;
  const tools = selectToolCalls(request.tools, request.toolChoice, input.userText);
  const choices: PlannedChoice[] = [];
  let completion = 0;
  for (let index = 0; index < request.n; index++) {
    if (tools.length > 0) {
      const toolCalls: ToolCall[] = tools.map((t) => ({
        id: input.nextToolCallId(),
        type: "function",
        function: { name: t.name, arguments: JSON.stringify(argsFromSchema(t.parameters)) },
      }));
      for (const c of toolCalls) completion += textTokens(c.function.name + c.function.arguments);
      choices.push({ index, words: [], content: null, toolCalls, finishReason: "tool_calls" });
      continue;
    }
    let words = echoWords(input.userText, input.words);
    let finishReason: FinishReason = "stop";
    if (request.maxTokens !== undefined && request.maxTokens < words.length) {
      words = words.slice(0, request.maxTokens);
      finishReason = "length";
    }
    completion += words.length;
    choices.push({ index, words, content: words.join(" "), toolCalls: [], finishReason });
  }
  return {
    id: input.id,
    created: input.created,
    model: request.model,
    choices,
    usage: makeUsage(promptTokens(request.messages), completion),
  };
}

export interface ChatCompletionBody {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: "assistant"; content: string | null; refusal: null; tool_calls?: ToolCall[] };
    logprobs: null;
    finish_reason: FinishReason;
  }>;
  usage: Usage;
  system_fingerprint: string;
}

/** The non-streaming `chat.completion` object. */
export function completionResponse(plan: CompletionPlan): ChatCompletionBody {
  return {
    id: plan.id,
    object: "chat.completion",
    created: plan.created,
    model: plan.model,
    choices: plan.choices.map((c) => ({
      index: c.index,
      message:
        c.toolCalls.length > 0
          ? { role: "assistant", content: null, refusal: null, tool_calls: c.toolCalls }
          : { role: "assistant", content: c.content, refusal: null },
      logprobs: null,
      finish_reason: c.finishReason,
    })),
    usage: plan.usage,
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

