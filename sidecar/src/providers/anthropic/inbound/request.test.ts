import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isProxyError, type ProxyError } from "../../../errors/proxy-error";
import { checkMessagesBody } from "./check";
import { messagesToChat } from "./request";

const base = { model: "claude", max_tokens: 64, messages: [{ role: "user", content: "hi" }] };

function rejection(fn: () => unknown): ProxyError {
  try {
    fn();
  } catch (err) {
    if (isProxyError(err)) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("checkMessagesBody", () => {
  it("returns model and stream for a valid body", () => {
    assert.deepEqual(checkMessagesBody(base), { model: "claude", stream: false });
    assert.deepEqual(checkMessagesBody({ ...base, stream: true }), { model: "claude", stream: true });
  });
  it("names the offending field", () => {
    const param = (json: unknown): string | null => {
      const r = checkMessagesBody(json);
      return isProxyError(r) ? r.param : "ok";
    };
    assert.equal(param([]), null);
    assert.equal(param({ ...base, model: "" }), "model");
    assert.equal(param({ ...base, max_tokens: undefined }), "max_tokens");
    assert.equal(param({ ...base, max_tokens: 0 }), "max_tokens");
    assert.equal(param({ ...base, messages: [] }), "messages");
    assert.equal(param({ ...base, messages: [{ role: "tool", content: "x" }] }), "messages.0.role");
    assert.equal(param({ ...base, messages: [{ role: "user", content: 3 }] }), "messages.0.content");
    assert.equal(param({ ...base, stream: "yes" }), "stream");
  });
});

describe("messagesToChat", () => {
  it("hoists a string or block system prompt and copies sampling fields", () => {
    const out = messagesToChat({ ...base, system: "be brief", temperature: 0.2, top_p: 0.9, top_k: 5, stop_sequences: ["END"], metadata: { user_id: "u1" } });
    assert.deepEqual(out, {
      model: "claude",
      messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hi" }],
      max_completion_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
      stop: ["END"],
      user: "u1",
    });
    const blocks = messagesToChat({ ...base, system: [{ type: "text", text: "a", cache_control: { type: "ephemeral" } }, { type: "text", text: "b" }] });
    assert.deepEqual((blocks["messages"] as unknown[])[0], { role: "system", content: "a\nb" });
    const inline = messagesToChat({ ...base, messages: [{ role: "system", content: [{ type: "text", text: "mid" }] }, ...base.messages] });
    assert.deepEqual(inline["messages"], [{ role: "system", content: "mid" }, { role: "user", content: "hi" }]);
  });

  it("maps text and images (base64 and url) to content parts", () => {
    const out = messagesToChat({
      ...base,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
            { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
          ],
        },
      ],
    });
    assert.deepEqual(out["messages"], [
      {
        role: "user",
        content: [
          { type: "text", text: "what is this?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
        ],
      },
    ]);
  });

  // checklist #52
  it("maps a tool round trip: tool_use → tool_calls, tool_result → tool messages before the user text", () => {
    const out = messagesToChat({
      ...base,
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: [{ type: "thinking", thinking: "hm", signature: "s" }, { type: "text", text: "checking" }, { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "sunny" }] }, { type: "text", text: "thanks" }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_2", content: "boom", is_error: true }] },
      ],
    });
    assert.deepEqual(out["messages"], [
      { role: "user", content: "weather?" },
      { role: "assistant", content: "checking", tool_calls: [{ id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "toolu_1", content: "sunny" },
      { role: "user", content: "thanks" },
      { role: "tool", tool_call_id: "toolu_2", content: "Error: boom" },
    ]);
  });

  it("maps tools and every tool_choice", () => {
    const tools = [{ name: "lookup", description: "find", input_schema: { type: "object", properties: { q: { type: "string" } } }, cache_control: { type: "ephemeral" } }];
    const fn = { type: "function", function: { name: "lookup", parameters: tools[0]?.input_schema, description: "find" } };
    assert.deepEqual(messagesToChat({ ...base, tools })["tools"], [fn]);
    const choice = (tool_choice: unknown): unknown => {
      const out = messagesToChat({ ...base, tools, tool_choice });
      return [out["tool_choice"], out["parallel_tool_calls"]];
    };
    assert.deepEqual(choice({ type: "auto" }), ["auto", undefined]);
    assert.deepEqual(choice({ type: "any", disable_parallel_tool_use: true }), ["required", false]);
    assert.deepEqual(choice({ type: "tool", name: "lookup" }), [{ type: "function", function: { name: "lookup" } }, undefined]);
    assert.deepEqual(choice({ type: "none" }), ["none", undefined]);
    assert.equal(rejection(() => messagesToChat({ ...base, tool_choice: { type: "maybe" } })).param, "tool_choice.type");
  });

  it("asks for stream usage when streaming", () => {
    const out = messagesToChat({ ...base, stream: true });
    assert.equal(out["stream"], true);
    assert.deepEqual(out["stream_options"], { include_usage: true });
  });

  it("rejects what the canonical form cannot carry, naming the field", () => {
    assert.equal(rejection(() => messagesToChat({ ...base, tools: [{ type: "web_search_20250305", name: "web_search" }] })).param, "tools.0");
    const doc = { role: "user", content: [{ type: "document", source: { type: "url", url: "https://x/y.pdf" } }] };
    assert.equal(rejection(() => messagesToChat({ ...base, messages: [doc] })).param, "messages.0.content.0.source");
    const odd = { role: "user", content: [{ type: "search_result" }] };
    assert.equal(rejection(() => messagesToChat({ ...base, messages: [odd] })).code, "invalid_request");
  });

  it("maps base64 and text documents to file and text parts", () => {
    const out = messagesToChat({
      ...base,
      messages: [{ role: "user", content: [{ type: "document", title: "a.pdf", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } }, { type: "document", source: { type: "text", media_type: "text/plain", data: "notes" } }] }],
    });
    assert.deepEqual(out["messages"], [
      { role: "user", content: [{ type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } }, { type: "text", text: "notes" }] },
    ]);
  });
});
