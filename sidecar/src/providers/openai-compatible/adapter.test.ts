import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChatInput } from "../types";
import { createOpenAiCompatibleAdapter } from "./adapter";

const adapter = createOpenAiCompatibleAdapter("openai");
const spec = { id: "d1", provider: "openai", baseUrl: "https://api.example.com/v1/", region: "", options: {} };
const target = adapter.prepare(spec, { api_key: "sk-up" });

function input(json: Record<string, unknown>, extra: Partial<ChatInput> = {}): ChatInput {
  const body = Buffer.from(JSON.stringify(json));
  return { body, json, upstreamModel: String(json["model"]), stream: json["stream"] === true, clientIncludeUsage: false, now: 0, ...extra } as ChatInput;
}

describe("openai-compatible prepare", () => {
  it("derives origin, chat path and credential headers once", () => {
    assert.equal(target.origin, "https://api.example.com");
    assert.equal(target.chatPath, "/v1/chat/completions");
    assert.deepEqual(target.headers, ["content-type", "application/json", "authorization", "Bearer sk-up"]);
    assert.deepEqual(adapter.prepare(spec, null).headers, ["content-type", "application/json"]);
  });
  it("rejects bad base URLs and credentials without api_key", () => {
    assert.throws(() => adapter.prepare({ ...spec, baseUrl: "ftp://x" }, null), /http/);
    assert.throws(() => adapter.prepare({ ...spec, baseUrl: "nope" }, null), /URL/);
    assert.throws(() => adapter.prepare(spec, {}), /api_key/);
  });
});

describe("openai-compatible buildChatRequest", () => {
  it("forwards the client's bytes unchanged when nothing needs rewriting", () => {
    const i = input({ model: "m", messages: [] });
    assert.equal(adapter.buildChatRequest(target, i).body, i.body);
    const s = input({ model: "m", stream: true, stream_options: { include_usage: true } }, { clientIncludeUsage: true });
    assert.equal(adapter.buildChatRequest(target, s).body, s.body);
  });
  it("injects include_usage for streams without it, keeping the rest of the bytes", () => {
    const i = input({ model: "m", stream: true, messages: [{ role: "user", content: "x" }] });
    const out = Buffer.from(adapter.buildChatRequest(target, i).body).toString();
    assert.equal(out, `{"stream_options":{"include_usage":true},${i.body.toString().slice(1)}`);
    assert.deepEqual(JSON.parse(out), { ...i.json, stream_options: { include_usage: true } });
  });
  it("overrides include_usage: false and keeps other stream_options", () => {
    const i = input({ model: "m", stream: true, stream_options: { include_usage: false, include_obfuscation: true } });
    const out = JSON.parse(Buffer.from(adapter.buildChatRequest(target, i).body).toString()) as Record<string, unknown>;
    assert.deepEqual(out["stream_options"], { include_usage: true, include_obfuscation: true });
  });
  it("rewrites the model for an alias", () => {
    const i = input({ model: "public", messages: [] }, { upstreamModel: "real" });
    const out = JSON.parse(Buffer.from(adapter.buildChatRequest(target, i).body).toString()) as Record<string, unknown>;
    assert.equal(out["model"], "real");
    assert.equal(i.json["model"], "public", "input not mutated");
  });
});

describe("openai-compatible responses and errors", () => {
  it("parses usage and finish reason once, passing bytes through", () => {
    const body = Buffer.from(JSON.stringify({ choices: [{ finish_reason: "length" }], usage: { prompt_tokens: 3, completion_tokens: 4 } }));
    const parsed = adapter.parseChatResponse(body);
    assert.ok(parsed.ok);
    assert.equal(parsed.body, body);
    assert.equal(parsed.finishReason, "length");
    assert.deepEqual(parsed.usage, { promptTokens: 3, completionTokens: 4, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    assert.equal(adapter.parseChatResponse(Buffer.from("<html>")).ok, false);
    assert.equal(adapter.parseChatResponse(Buffer.from("[1]")).ok, false);
  });
  it("fast usage path agrees with a full parse and falls back when it cannot be used", () => {
    const usage = { prompt_tokens: 10, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 1 } };
    const bodies = [
      { choices: [{ message: { content: 'tricky "usage":{ } text' }, finish_reason: "stop" }], usage, system_fingerprint: "x" },
      { usage, choices: [] },
    ].map((o) => Buffer.from(`  ${JSON.stringify(o, null, 0)}\n`));
    for (const body of bodies) {
      const parsed = adapter.parseChatResponse(body);
      assert.ok(parsed.ok);
      assert.deepEqual(parsed.usage, { promptTokens: 10, completionTokens: 3, cachedTokens: 2, cacheWriteTokens: 0, reasoningTokens: 1 });
    }
    const spaced = adapter.parseChatResponse(Buffer.from('{"usage": {"prompt_tokens": 4, "completion_tokens": 1}}'));
    assert.ok(spaced.ok && spaced.usage?.promptTokens === 4);
    const none = adapter.parseChatResponse(Buffer.from('{"choices":[]}'));
    assert.ok(none.ok && none.usage === null);
  });
  it("relays OpenAI-shaped errors with retry hints, maps anything else to upstream_invalid_response", () => {
    const body = Buffer.from('{"error":{"message":"x","type":"rate_limit_error","code":"r"}}');
    const relayed = adapter.mapError(429, { "retry-after": "3", "x-other": "no" }, body);
    assert.deepEqual(relayed, { kind: "relay", status: 429, body, headers: ["content-type", "application/json", "retry-after", "3"] });
    const bad = adapter.mapError(503, {}, Buffer.from("Service Unavailable"));
    assert.equal(bad.kind, "code");
    assert.equal(bad.kind === "code" ? bad.code : "", "upstream_invalid_response");
  });
});

describe("openai default endpoint", () => {
  it("an empty base_url means OpenAI's public API", () => {
    const prepared = adapter.prepare({ ...spec, baseUrl: "" }, { api_key: "sk-up" });
    assert.equal(prepared.origin, "https://api.openai.com");
    assert.equal(prepared.chatPath, "/v1/chat/completions");
  });
});
