/** Realistic inputs for the micro-benchmarks, built with the mock provider's own generators. */
import { buildStreamFrames } from "../../mock-provider/src/chunks";
import { completionResponse, planCompletion } from "../../mock-provider/src/completion";
import { parseChatRequest } from "../../mock-provider/src/chat-request";

const QUESTION = "How much latency does a sidecar add to a chat completion request?";

function plan(stream: boolean, includeUsage: boolean) {
  const parsed = parseChatRequest({
    model: "gpt-4o",
    stream,
    ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    messages: [{ role: "user", content: QUESTION }],
  });
  if (!parsed.ok) throw new Error("mock request rejected");
  return planCompletion({ request: parsed.value, userText: QUESTION, id: "chatcmpl-bench", created: 1_700_000_000, words: 20, nextToolCallId: () => "call_bench" });
}

/** The upstream bytes of a 20-chunk OpenAI stream that carries the final usage chunk, one SSE event per element. */
export function openAiStreamEvents(): Buffer[] {
  return buildStreamFrames(plan(true, true), true).frames.map((f) => Buffer.from(f));
}

/** A ~570-byte OpenAI chat.completion body (what the mock answers with 20 words). */
export function openAiResponseBody(): Buffer {
  return Buffer.from(JSON.stringify(completionResponse(plan(false, false))));
}

/** A typical client request body. */
export function chatRequestBody(model: string): Buffer {
  return Buffer.from(JSON.stringify({ model, messages: [{ role: "system", content: "You are terse." }, { role: "user", content: QUESTION }] }));
}

/** Splits `buf` into pieces of `size` bytes (the worst case for a framer: events straddle chunks). */
export function slices(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, Math.min(buf.length, i + size)));
  return out;
}
