import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RequestContext } from "../context";
import { checkChatBody, parseChatBody } from "./chat-body";

const ok = { model: "m", messages: [{ role: "user", content: "x" }] };
const param = (json: unknown): string | null | undefined => checkChatBody(json)?.param;

describe("checkChatBody", () => {
  it("accepts a minimal body and nulls for optional fields", () => {
    assert.equal(checkChatBody(ok), null);
    assert.equal(checkChatBody({ ...ok, stream: null, stream_options: null, max_tokens: null, n: 0 }), null);
  });
  it("names the offending field in param", () => {
    assert.equal(checkChatBody([1])?.code, "invalid_request");
    assert.equal(param([1]), null);
    assert.equal(param({ messages: ok.messages }), "model");
    assert.equal(param({ ...ok, model: "" }), "model");
    assert.equal(param({ ...ok, model: 3 }), "model");
    assert.equal(param({ model: "m", messages: [] }), "messages");
    assert.equal(param({ model: "m", messages: {} }), "messages");
    assert.equal(param({ ...ok, stream: "yes" }), "stream");
    assert.equal(param({ ...ok, stream_options: [] }), "stream_options");
    assert.equal(param({ ...ok, stream_options: { include_usage: 1 } }), "stream_options.include_usage");
    assert.equal(param({ ...ok, max_tokens: 1.5 }), "max_tokens");
    assert.equal(param({ ...ok, max_completion_tokens: -1 }), "max_completion_tokens");
    assert.equal(param({ ...ok, n: "2" }), "n");
  });
});

describe("parseChatBody", () => {
  const ctx = (body: string): RequestContext => {
    const c = new RequestContext("r", "chat", "/v1/chat/completions", "", "", 0);
    c.body = Buffer.from(body);
    return c;
  };
  it("fills model, stream and includeUsage", () => {
    const c = ctx(JSON.stringify({ ...ok, stream: true, stream_options: { include_usage: true } }));
    assert.equal(parseChatBody(c), null);
    assert.deepEqual([c.model, c.stream, c.includeUsage], ["m", true, true]);
  });
  it("answers invalid_json for malformed JSON and invalid_request for an empty body", () => {
    assert.equal(parseChatBody(ctx("{x"))?.code, "invalid_json");
    assert.equal(parseChatBody(ctx(""))?.code, "invalid_request");
  });
});
