import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chatToMessage } from "./response";

const completion = (message: Record<string, unknown>, finish: string, extra: Record<string, unknown> = {}): Buffer =>
  Buffer.from(
    JSON.stringify({
      id: "chatcmpl-abc",
      object: "chat.completion",
      model: "gpt-4o",
      choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: finish, ...extra }],
      usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25, prompt_tokens_details: { cached_tokens: 8 } },
    }),
  );

const parse = (b: Buffer | null): Record<string, unknown> => JSON.parse(String(b)) as Record<string, unknown>;

describe("chatToMessage", () => {
  it("builds a text message with usage split into input and cache reads", () => {
    assert.deepEqual(parse(chatToMessage(completion({ content: "hello" }, "stop"), "m")), {
      id: "msg_abc",
      type: "message",
      role: "assistant",
      model: "gpt-4o",
      content: [{ type: "text", text: "hello" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 8 },
    });
  });

  it("turns tool calls into tool_use blocks with object input", () => {
    const msg = parse(chatToMessage(completion({ content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } }, { id: "call_2", type: "function", function: { name: "bad", arguments: "{" } }] }, "tool_calls"), "m"));
    assert.deepEqual(msg["content"], [
      { type: "tool_use", id: "call_1", name: "lookup", input: { q: "x" } },
      { type: "tool_use", id: "call_2", name: "bad", input: {} },
    ]);
    assert.equal(msg["stop_reason"], "tool_use");
  });

  it("maps every finish reason", () => {
    const reason = (finish: string, extra?: Record<string, unknown>): unknown => {
      const m = parse(chatToMessage(completion({ content: "x" }, finish, extra), "m"));
      return [m["stop_reason"], m["stop_sequence"]];
    };
    assert.deepEqual(reason("stop"), ["end_turn", null]);
    assert.deepEqual(reason("length"), ["max_tokens", null]);
    assert.deepEqual(reason("content_filter"), ["refusal", null]);
    assert.deepEqual(reason("stop", { stop_reason: "END" }), ["stop_sequence", "END"]);
  });

  it("returns null for bytes that are not a completion", () => {
    assert.equal(chatToMessage(Buffer.from("{}"), "m"), null);
    assert.equal(chatToMessage(Buffer.from("nope"), "m"), null);
  });
});
