import { SYSTEM_FINGERPRINT } from "./completion";
import { splitArguments } from "./tool-calls";
import type { CompletionPlan, FinishReason, PlannedChoice } from "./types";

export const DONE_FRAME = "data: [DONE]\n\n";

export interface StreamFrames {
  /** Complete SSE frames (`data: …\n\n`), the last one being `data: [DONE]`. */
  frames: string[];
  /** Index of the usage frame in `frames`, or -1 when include_usage was not requested. */
  usageFrameIndex: number;
}

type Delta = Record<string, unknown>;

/**
 * The `chat.completion.chunk` sequence OpenAI sends for a plan: a role chunk per choice, one chunk per word
 * (word + trailing space, except the last) or tool-call fragments, a finish chunk per choice, then — only with
 * include_usage — a `choices: []` usage chunk, then `[DONE]`. With include_usage every other chunk has `usage: null`.
 */
export function buildStreamFrames(plan: CompletionPlan, includeUsage: boolean): StreamFrames {
  const head = `{"id":${JSON.stringify(plan.id)},"object":"chat.completion.chunk","created":${plan.created},"model":${JSON.stringify(plan.model)},"system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":`;
  const tail = includeUsage ? `,"usage":null}\n\n` : `}\n\n`;
  const frames: string[] = [];
  const push = (index: number, delta: Delta, finish: FinishReason | null): void => {
    const choice = { index, delta, logprobs: null, finish_reason: finish };
    frames.push(`data: ${head}[${JSON.stringify(choice)}]${tail}`);
  };

  for (const c of plan.choices) push(c.index, firstDelta(c), null);
  const rest = plan.choices.map(restDeltas);
  const longest = Math.max(0, ...rest.map((r) => r.length));
  for (let i = 0; i < longest; i++) {
    plan.choices.forEach((c, k) => {
      const d = rest[k]?.[i];
      if (d) push(c.index, d, null);
    });
  }
  for (const c of plan.choices) push(c.index, {}, c.finishReason);

  let usageFrameIndex = -1;
  if (includeUsage) {
    usageFrameIndex = frames.length;
    frames.push(`data: ${head}[],"usage":${JSON.stringify(plan.usage)}}\n\n`);
  }
  frames.push(DONE_FRAME);
  return { frames, usageFrameIndex };
}

function firstDelta(c: PlannedChoice): Delta {
  if (c.toolCalls.length === 0) return { role: "assistant", content: "", refusal: null };
  const first = c.toolCalls[0];
  return {
    role: "assistant",
    content: null,
    refusal: null,
    tool_calls: first ? [{ index: 0, id: first.id, type: "function", function: { name: first.function.name, arguments: "" } }] : [],
  };
}

function restDeltas(c: PlannedChoice): Delta[] {
  if (c.toolCalls.length === 0) {
    const last = c.words.length - 1;
    return c.words.map((w, i) => ({ content: i === last ? w : w + " " }));
  }
  const out: Delta[] = [];
  c.toolCalls.forEach((call, index) => {
    if (index > 0) {
      out.push({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] });
    }
    for (const piece of splitArguments(call.function.arguments)) {
      out.push({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  });
  return out;
}

/** Parse SSE text into the JSON payloads of its `data:` lines (tests and tools; not for hot paths). */
export function parseSse(text: string): { events: unknown[]; done: boolean } {
  const events: unknown[] = [];
  let done = false;
  for (const block of text.split("\n\n")) {
    const line = block.trim();
    if (!line.startsWith("data: ")) continue;
    const data = line.slice(6);
    if (data === "[DONE]") done = true;
    else events.push(JSON.parse(data));
  }
  return { events, done };
}
