import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBedrockAdapter } from "./adapter";
import { encodeStream, type EventSpec } from "./testing/frames";

const adapter = createBedrockAdapter();
const ev = (event: string, payload: unknown): EventSpec => ({ event, payload });
const TEXT = [
  ev("messageStart", { role: "assistant", p: "abc" }),
  ev("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hi" } }),
  ev("messageStop", { stopReason: "max_tokens" }),
  ev("metadata", { usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 } }),
];

function run(bytes: Buffer, includeUsage = false, extra: Record<string, unknown> = {}) {
  const d = adapter.createStreamDecoder({ clientIncludeUsage: includeUsage, ...extra } as { clientIncludeUsage: boolean });
  const outs: string[] = [];
  const a = d.push(bytes);
  if (a !== null) outs.push(Buffer.from(a).toString());
  const b = d.end();
  if (b !== null) outs.push(Buffer.from(b).toString());
  return { text: outs.join(""), d };
}

describe("bedrock stream decoder", () => {
  it("one id per response, derived from the upstream bytes; created from StreamOptions.now when given", () => {
    const bytes = encodeStream({ events: TEXT });
    const { text, d } = run(bytes, false, { now: Date.UTC(2026, 0, 1) });
    const chunks = text.split("\n\n").filter((e) => e.startsWith("data: {")).map((e) => JSON.parse(e.slice(6)) as { id: string; created: number; model: string });
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1);
    assert.match(chunks[0]?.id ?? "", /^chatcmpl-[0-9a-f]{24}$/);
    assert.equal(chunks[0]?.created, 1767225600);
    assert.equal(chunks[0]?.model, "bedrock");
    assert.equal(d.finishReason, "length");
    assert.deepEqual(d.usage, { promptTokens: 3, completionTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    const other = run(encodeStream({ events: [ev("messageStart", { role: "assistant", p: "abcd" }), ...TEXT.slice(1)] }));
    assert.notEqual(JSON.parse(other.text.split("\n\n")[0]?.slice(6) ?? "{}").id, chunks[0]?.id);
  });

  it("[DONE] comes right after metadata; bytes after it and after an error are ignored", () => {
    const d = adapter.createStreamDecoder({ clientIncludeUsage: false });
    const first = Buffer.from(d.push(encodeStream({ events: TEXT })) ?? new Uint8Array()).toString();
    assert.ok(first.endsWith("data: [DONE]\n\n"));
    assert.equal(d.push(encodeStream({ events: TEXT.slice(1) })), null);
    assert.equal(d.end(), null);
  });

  it("started flips on the first content event, not on messageStart", () => {
    const d = adapter.createStreamDecoder({ clientIncludeUsage: false });
    d.push(encodeStream({ events: TEXT.slice(0, 1) }));
    assert.equal(d.started, false);
    d.push(encodeStream({ events: TEXT.slice(1, 2) }));
    assert.equal(d.started, true);
  });

  it("usage chunk only with include_usage; the usage is on the decoder either way", () => {
    const withUsage = run(encodeStream({ events: TEXT }), true);
    assert.equal((withUsage.text.match(/"choices":\[\],"usage":\{/g) ?? []).length, 1);
    const without = run(encodeStream({ events: TEXT }), false);
    assert.ok(!without.text.includes('"usage"'));
    assert.equal(without.d.usage?.promptTokens, 3);
  });

  it("empty input produces [DONE] only", () => {
    assert.equal(run(Buffer.alloc(0)).text, "data: [DONE]\n\n");
  });
});

describe("bedrock non-stream parse", () => {
  it("id non-empty and stable, created integer, invalid bodies refused", () => {
    const body = Buffer.from(JSON.stringify({ output: { message: { role: "assistant", content: [{ text: "x" }] } }, stopReason: "end_turn", usage: { inputTokens: 1, outputTokens: 1 } }));
    const a = adapter.parseChatResponse(body);
    const b = adapter.parseChatResponse(body, { now: 1767225600500, model: "anthropic.claude-3-haiku-20240307-v1:0" });
    assert.ok(a.ok && b.ok);
    const ja = JSON.parse(Buffer.from(a.body).toString()) as { id: string; created: number };
    const jb = JSON.parse(Buffer.from(b.body).toString()) as { id: string; created: number };
    assert.equal(ja.id, jb.id);
    assert.match(ja.id, /^chatcmpl-/);
    assert.equal(ja.created, 0);
    assert.equal(jb.created, 1767225600);
    assert.equal(adapter.parseChatResponse(Buffer.from("nope")).ok, false);
    assert.equal(adapter.parseChatResponse(Buffer.from('{"output":{}}')).ok, false);
  });
});
