import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ChatToMessagesStream } from "./stream";
import { feed, parseEvents } from "./testing/sse-events";

const chunk = (delta: Record<string, unknown> | null, finish: string | null = null, usage: unknown = null): string => {
  const choices = delta === null ? [] : [{ index: 0, delta, finish_reason: finish }];
  return `data: ${JSON.stringify({ id: "chatcmpl-s1", object: "chat.completion.chunk", created: 1, model: "gpt-4o", choices, usage })}\n\n`;
};

const TEXT_AND_TOOLS = Buffer.from(
  [
    chunk({ role: "assistant", content: "" }),
    chunk({ content: "héllo " }),
    chunk({ content: "wörld 🌍" }),
    chunk({ tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "lookup", arguments: "" } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] }),
    chunk({ tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "other", arguments: "{}" } }] }),
    chunk({}, "tool_calls"),
    chunk(null, null, { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39, prompt_tokens_details: { cached_tokens: 10 } }),
    "data: [DONE]\n\n",
  ].join(""),
);

const make = (): ChatToMessagesStream => new ChatToMessagesStream("fallback");

describe("ChatToMessagesStream", () => {
  // checklist #51: message_start, content blocks in order, message_delta with the stop reason, message_stop.
  it("emits the Messages event sequence with text and tool_use blocks, stop reason and usage", () => {
    const events = parseEvents(feed(make, TEXT_AND_TOOLS));
    assert.deepEqual(events.map((e) => e.event), [
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    for (const e of events) assert.equal(e.data["type"], e.event);
    const start = events[0]?.data["message"] as Record<string, unknown>;
    assert.equal(start["id"], "msg_s1");
    assert.equal(start["model"], "gpt-4o");
    assert.deepEqual(events[1]?.data, { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    assert.deepEqual(events[3]?.data["delta"], { type: "text_delta", text: "wörld 🌍" });
    assert.deepEqual(events[5]?.data, { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "call_a", name: "lookup", input: {} } });
    assert.deepEqual(events[7]?.data["delta"], { type: "input_json_delta", partial_json: '"x"}' });
    assert.equal(events[9]?.data["index"], 2);
    assert.deepEqual(events[12]?.data, {
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 20, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 10 },
    });
  });

  it("decodes identically when the input is split at every byte boundary (inside events and UTF-8 characters)", () => {
    const whole = feed(make, TEXT_AND_TOOLS);
    for (let cut = 0; cut <= TEXT_AND_TOOLS.length; cut++) assert.equal(feed(make, TEXT_AND_TOOLS, cut), whole, `split at ${cut}`);
  });

  it("decodes identically when fed one byte at a time", () => {
    const t = make();
    let out = "";
    const parts: Uint8Array[] = [];
    for (let i = 0; i < TEXT_AND_TOOLS.length; i++) {
      const o = t.push(TEXT_AND_TOOLS.subarray(i, i + 1));
      if (o !== null) parts.push(o);
    }
    const tail = t.end();
    if (tail !== null) parts.push(tail);
    out = Buffer.concat(parts).toString("utf8");
    assert.equal(out, feed(make, TEXT_AND_TOOLS));
  });

  it("maps length to max_tokens and a stream without usage to zero usage", () => {
    const input = Buffer.from(chunk({ content: "abc" }) + chunk({}, "length") + "data: [DONE]\n\n");
    const delta = parseEvents(feed(make, input)).find((e) => e.event === "message_delta");
    assert.deepEqual(delta?.data["delta"], { stop_reason: "max_tokens", stop_sequence: null });
    assert.equal((delta?.data["usage"] as Record<string, unknown>)["output_tokens"], 0);
  });

  it("turns a canonical error event into event: error and stops", () => {
    const input = Buffer.from(chunk({ content: "a" }) + `data: ${JSON.stringify({ error: { message: "slow down", type: "rate_limit_error", code: "rate_limit_exceeded" } })}\n\n` + chunk({ content: "ignored" }));
    const events = parseEvents(feed(make, input));
    assert.deepEqual(events.at(-1), { event: "error", data: { type: "error", error: { type: "rate_limit_error", message: "slow down" } } });
    assert.equal(events.filter((e) => e.event === "content_block_delta").length, 1);
  });

  it("ends with an error event when the stream stops before any finish", () => {
    const events = parseEvents(feed(make, Buffer.from(chunk({ content: "a" }))));
    assert.equal(events.at(-1)?.event, "error");
    assert.equal((events.at(-1)?.data["error"] as Record<string, unknown>)["type"], "api_error");
  });

  it("completes a stream that has a finish reason but no [DONE]", () => {
    const events = parseEvents(feed(make, Buffer.from(chunk({ content: "a" }) + chunk({}, "stop"))));
    assert.deepEqual(events.slice(-2).map((e) => e.event), ["message_delta", "message_stop"]);
  });
});
