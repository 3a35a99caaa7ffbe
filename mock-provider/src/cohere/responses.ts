/**
 * Cohere v2 chat wire format on top of the OpenAI mock's plan (pure): the request mapped to the plan's input,
 * the `/v2/chat` response body, the SSE event sequence (`event:` + `data:` lines, `message-start` …
 * `message-end`, then `data: [DONE]`) and Cohere error bodies (`{"id","message"}`).
 */
import { splitArguments } from "../tool-calls";
import type { CompletionPlan } from "../types";

const FINISH: Record<string, string> = { stop: "COMPLETE", length: "MAX_TOKENS", tool_calls: "TOOL_CALL" };

/** The OpenAI-shaped body the shared plan understands (roles and tools already match; tool_choice differs). */
export function asOpenAiRequest(body: Record<string, unknown>): Record<string, unknown> {
  const choice = body["tool_choice"] === "REQUIRED" ? "required" : body["tool_choice"] === "NONE" ? "none" : undefined;
  const out: Record<string, unknown> = { model: body["model"], messages: body["messages"], stream: body["stream"] === true };
  if (body["max_tokens"] !== undefined) out["max_tokens"] = body["max_tokens"];
  if (body["tools"] !== undefined) out["tools"] = body["tools"];
  if (choice !== undefined) out["tool_choice"] = choice;
  return out;
}

function usage(plan: CompletionPlan): unknown {
  const u = { input_tokens: plan.usage.prompt_tokens, output_tokens: plan.usage.completion_tokens };
  return { billed_units: u, tokens: u };
}

export function cohereResponse(plan: CompletionPlan): unknown {
  const c = plan.choices[0];
  if (c === undefined) throw new Error("plan without choices");
  const message: Record<string, unknown> = { role: "assistant" };
  if (c.toolCalls.length > 0) {
    message["tool_plan"] = `I will call ${c.toolCalls.map((t) => t.function.name).join(" and ")}.`;
    message["tool_calls"] = c.toolCalls;
  } else message["content"] = [{ type: "text", text: c.content ?? "" }];
  return { id: plan.id, finish_reason: FINISH[c.finishReason], message, usage: usage(plan) };
}

function frame(payload: Record<string, unknown>): string {
  return `event: ${String(payload["type"])}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** The Cohere SSE events for the first choice of a plan. */
export function cohereStreamFrames(plan: CompletionPlan): string[] {
  const c = plan.choices[0];
  if (c === undefined) throw new Error("plan without choices");
  const out = [frame({ id: plan.id, type: "message-start", delta: { message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } } })];
  if (c.toolCalls.length > 0) {
    out.push(frame({ type: "tool-plan-delta", delta: { message: { tool_plan: "I will call the tools." } } }));
    c.toolCalls.forEach((call, index) => {
      out.push(frame({ type: "tool-call-start", index, delta: { message: { tool_calls: { id: call.id, type: "function", function: { name: call.function.name, arguments: "" } } } } }));
      for (const piece of splitArguments(call.function.arguments)) {
        out.push(frame({ type: "tool-call-delta", index, delta: { message: { tool_calls: { function: { arguments: piece } } } } }));
      }
      out.push(frame({ type: "tool-call-end", index }));
    });
  } else {
    out.push(frame({ type: "content-start", index: 0, delta: { message: { content: { type: "text", text: "" } } } }));
    const last = c.words.length - 1;
    c.words.forEach((w, i) => out.push(frame({ type: "content-delta", index: 0, delta: { message: { content: { text: i === last ? w : `${w} ` } } } })));
    out.push(frame({ type: "content-end", index: 0 }));
  }
  out.push(frame({ type: "message-end", delta: { finish_reason: FINISH[c.finishReason], usage: usage(plan) } }));
  out.push("data: [DONE]\n\n");
  return out;
}

export interface CohereError {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const MESSAGES: Record<number, string> = {
  400: "invalid request: message must be at least 1 token long (injected by mock)",
  401: "invalid api token",
  404: "model not found, make sure the correct model ID was used and that you have access to the model.",
  429: "You are using a Trial key, which is limited to 10 API calls / minute (injected by mock).",
  498: "invalid api token (injected by mock)",
  500: "internal server error, this has been reported to our developers (injected by mock)",
};

export function cohereError(status: number, id: string, message?: string, retryAfter?: string): CohereError {
  const headers: Record<string, string> = retryAfter !== undefined ? { "retry-after": retryAfter } : {};
  return { status, headers, body: { id, message: message ?? MESSAGES[status] ?? `error ${status} (injected by mock)` } };
}
