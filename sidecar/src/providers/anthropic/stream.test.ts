import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAnthropicAdapter } from "./adapter";
import { AnthropicStreamDecoder } from "./stream";

const ev = (type: string, data: object): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const START = ev("message_start", { message: { id: "msg_1", type: "message", role: "assistant", model: "claude-y", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 4, output_tokens: 1 } } });
const TEXT = ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) + ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Hej då ✓" } });
const ERROR = ev("error", { error: { type: "overloaded_error", message: "Overloaded" } });

function decode(text: string, cuts: number[] = [], options = { clientIncludeUsage: false }): { out: string; decoder: AnthropicStreamDecoder } {
  const bytes = Buffer.from(text);
  const decoder = new AnthropicStreamDecoder(options);
  let out = "";
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    const piece = decoder.push(bytes.subarray(from, cut));
    if (piece !== null) out += Buffer.from(piece).toString();
    from = cut;
  }
  const tail = decoder.end();
  if (tail !== null) out += Buffer.from(tail).toString();
  return { out, decoder };
}

describe("AnthropicStreamDecoder", () => {
  it("turns a mid-stream error event into one OpenAI error event and closes: no finish chunk, no [DONE]", () => {
    const whole = decode(START + TEXT + ERROR + ev("message_stop", {}));
    const events = whole.out.split("\n\n").filter((e) => e !== "");
    assert.equal(events.length, 3);
    assert.deepEqual(JSON.parse(events[2]?.slice(6) ?? ""), { error: { message: "anthropic: Overloaded", type: "server_error", param: null, code: "overloaded" } });
    assert.ok(!whole.out.includes("[DONE]") && !whole.out.includes('"finish_reason":"'));
    assert.deepEqual(whole.decoder.usage, { promptTokens: 4, completionTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    const length = Buffer.byteLength(START + TEXT + ERROR);
    for (let cut = 1; cut < length; cut++) assert.equal(decode(START + TEXT + ERROR, [cut]).out, whole.out, `split at ${cut}`);
  });
  it("reports an upstream stream that ends before message_stop as an error event", () => {
    const { out, decoder } = decode(START + TEXT);
    assert.match(out, /"code":"upstream_invalid_response"/);
    assert.ok(!out.includes("[DONE]"));
    assert.equal(decoder.finishReason, null);
  });
  it("handles a final event without the trailing blank line", () => {
    const { out, decoder } = decode(START + TEXT + ev("message_stop", {}).trimEnd());
    assert.ok(out.endsWith("data: [DONE]\n\n"));
    assert.equal(decoder.finishReason, "stop");
  });
  it("has no usage before message_start, sets started only on content, and fills created from now", () => {
    const decoder = new AnthropicStreamDecoder({ clientIncludeUsage: false, now: Date.UTC(2026, 0, 2) });
    assert.equal(decoder.usage, null);
    const first = Buffer.from(decoder.push(Buffer.from(START)) ?? new Uint8Array()).toString();
    assert.equal(decoder.started, false, "the role chunk is not content");
    assert.match(first, /"id":"chatcmpl-msg_1","object":"chat.completion.chunk","created":1767312000,"model":"claude-y"/);
    decoder.push(Buffer.from(TEXT));
    assert.equal(decoder.started, true);
  });
  it("is what the adapter creates, and malformed data ends the stream with an error", () => {
    const decoder = createAnthropicAdapter().createStreamDecoder({ clientIncludeUsage: true });
    const out = Buffer.from(decoder.push(Buffer.from(START + "event: x\ndata: {nope\n\n")) ?? new Uint8Array()).toString();
    assert.match(out, /upstream_invalid_response/);
    assert.equal(decoder.push(Buffer.from(TEXT)), null, "nothing after the error");
  });
});
