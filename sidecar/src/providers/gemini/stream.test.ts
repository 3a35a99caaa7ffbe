import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GeminiStreamDecoder } from "./stream";

const ev = (o: unknown): string => `data: ${JSON.stringify(o)}\r\n\r\n`;

function decode(text: string, options: { clientIncludeUsage: boolean; now?: number } = { clientIncludeUsage: false }) {
  const d = new GeminiStreamDecoder(options, "Gemini API");
  const out = [d.push(Buffer.from(text)), d.end()].filter((b): b is Uint8Array => b !== null).map((b) => Buffer.from(b).toString("utf8")).join("");
  return { out, d, events: out.split("\n\n").filter((e) => e !== "").map((e) => e.slice("data: ".length)) };
}

describe("GeminiStreamDecoder", () => {
  it("an error event mid-stream becomes one OpenAI error event; the stream stops without finish or [DONE]", () => {
    const text =
      ev({ candidates: [{ content: { parts: [{ text: "Hi" }] } }], usageMetadata: { promptTokenCount: 4 }, responseId: "e1" }) +
      ev({ error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "Quota exceeded." } }) +
      ev({ candidates: [{ content: { parts: [{ text: "late" }] }, finishReason: "STOP" }] });
    const { events, d, out } = decode(text);
    assert.equal(events.length, 3);
    assert.deepEqual(JSON.parse(events[2] as string), { error: { message: "Gemini API: Quota exceeded.", type: "rate_limit_error", param: null, code: "rate_limit_exceeded" } });
    assert.ok(!out.includes("[DONE]") && !out.includes("late"));
    assert.equal(d.finishReason, null);
    assert.equal(d.usage?.promptTokens, 4);
    assert.equal(d.push(Buffer.from(ev({ candidates: [] }))), null);
  });

  it("an unparseable event is an upstream_invalid_response error event", () => {
    const { events } = decode("data: <html>oops\n\n");
    assert.equal(events.length, 1);
    assert.equal((JSON.parse(events[0] as string) as { error: { code: string } }).error.code, "upstream_invalid_response");
  });

  it("keeps candidates apart (n>1): role chunk, deltas and finish per index; tool indices per candidate", () => {
    const text =
      ev({ candidates: [{ index: 0, content: { parts: [{ text: "A" }] } }, { index: 1, content: { parts: [{ functionCall: { name: "f", args: {} } }] } }], responseId: "m" }) +
      ev({ candidates: [{ index: 1, content: { parts: [{ functionCall: { name: "g", args: { x: 1 } } }] }, finishReason: "STOP" }, { index: 0, finishReason: "MAX_TOKENS" }] });
    const { events, d } = decode(text);
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { choices: { index: number; delta: Record<string, unknown>; finish_reason: string | null }[] });
    const of = (i: number) => chunks.map((c) => c.choices[0]).filter((c) => c?.index === i);
    assert.deepEqual(of(0).map((c) => c?.finish_reason ?? c?.delta["content"]), ["", "A", "length"]);
    const calls = of(1).flatMap((c) => (c?.delta["tool_calls"] as { index: number; function: { name: string } }[] | undefined) ?? []);
    assert.deepEqual(calls.map((c) => [c.index, c.function.name]), [[0, "f"], [1, "g"]]);
    assert.equal(of(1).at(-1)?.finish_reason, "tool_calls");
    assert.equal(d.finishReason, "length");
    assert.equal(events.at(-1), "[DONE]");
  });

  it("uses the request time for created when the pipeline passes it, and a usage chunk even without usageMetadata", () => {
    const { events } = decode(ev({ candidates: [{ content: { parts: [{ text: "x" }] }, finishReason: "STOP" }] }), { clientIncludeUsage: true, now: 1_767_225_600_999 });
    const first = JSON.parse(events[0] as string) as { created: number; id: string; usage: null };
    assert.equal(first.created, 1_767_225_600);
    assert.match(first.id, /^chatcmpl-[0-9a-f]{24}$/);
    assert.equal(first.usage, null);
    const usage = JSON.parse(events.at(-2) as string) as { choices: unknown[]; usage: { total_tokens: number } };
    assert.deepEqual(usage.choices, []);
    assert.equal(usage.usage.total_tokens, 0);
  });

  it("a body without any finishReason (empty, or only comments and keep-alives) was cut: one error event, no [DONE]", () => {
    for (const body of ["", ": keepalive\n\n"]) {
      const out = decode(body).out;
      assert.ok(!out.includes("[DONE]"), out);
      assert.match(out, /^data: \{"error":\{"message":"[^"]*the stream ended before a finishReason","type":"server_error","param":null,"code":"upstream_invalid_response"\}\}\n\n$/);
    }
  });
});
