import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isProxyError } from "../../errors/proxy-error";
import type { ChatInput } from "../types";
import { exciseMember } from "./excise";
import { NormalizingStreamDecoder } from "./normalizing-stream";
import { alnum9 } from "./tool-call-ids";
import { rewriteMessages } from "./vendor-request";
import { OPENAI_COMPATIBLE_VENDORS, VENDOR_QUIRKS } from "./vendors";

function input(json: Record<string, unknown>): ChatInput {
  return { body: Buffer.from(JSON.stringify(json)), json, upstreamModel: String(json["model"]), stream: json["stream"] === true, clientIncludeUsage: false, now: 0 };
}

function build(id: keyof typeof OPENAI_COMPATIBLE_VENDORS, json: Record<string, unknown>) {
  const adapter = OPENAI_COMPATIBLE_VENDORS[id];
  const target = adapter.prepare({ id: "d", provider: id, baseUrl: "", region: "", options: {} }, { api_key: "k" });
  const i = input(json);
  return { i, req: adapter.buildChatRequest(target, i) };
}

function rejects(fn: () => unknown, param: string): void {
  assert.throws(fn, (e: unknown) => isProxyError(e) && e.code === "invalid_request" && e.param === param);
}

describe("vendor table", () => {
  it("registers every id with the adapter id equal to its key", () => {
    assert.deepEqual(Object.keys(OPENAI_COMPATIBLE_VENDORS).sort(), ["deepinfra", "fireworks", "groq", "mistral", "ollama", "openai-compatible", "openrouter", "perplexity", "together", "vllm"]);
    for (const [id, a] of Object.entries(OPENAI_COMPATIBLE_VENDORS)) assert.equal(a.id, id);
  });
  it("keeps the common case a byte-for-byte pass-through (same buffer)", () => {
    for (const id of Object.keys(VENDOR_QUIRKS) as (keyof typeof OPENAI_COMPATIBLE_VENDORS)[]) {
      if (id === "vllm" || id === "openai-compatible") continue; // no default base URL
      const { i, req } = build(id, { model: "m", messages: [{ role: "user", content: "hi" }], temperature: 0.5 });
      assert.equal(req.body, i.body, id);
    }
  });
  it("rejects what a vendor cannot honour, with the field as param", () => {
    rejects(() => build("groq", { model: "m", messages: [], n: 2 }), "n");
    rejects(() => build("perplexity", { model: "sonar", messages: [], tools: [] }), "tools");
    rejects(() => build("mistral", { model: "m", messages: [], modalities: ["text", "audio"] }), "modalities");
    assert.doesNotThrow(() => build("groq", { model: "m", messages: [], n: 1, modalities: ["text"] }));
  });
  it("rewrites tool-call ids deterministically and leaves valid ones alone", () => {
    assert.equal(alnum9("call_abc123xyz789"), alnum9("call_abc123xyz789"));
    assert.match(alnum9("toolu_01A09q90qw90lq917835lq9"), /^[A-Za-z0-9]{9}$/);
    assert.equal(alnum9("abcDEF123"), "abcDEF123");
    const ok = [{ role: "assistant", tool_calls: [{ id: "abcDEF123" }] }, { role: "tool", tool_call_id: "abcDEF123" }];
    assert.equal(rewriteMessages(ok, VENDOR_QUIRKS.mistral), null);
  });
  it("merges same-role runs with mixed string/part content for Perplexity", () => {
    const out = rewriteMessages([{ role: "user", content: "a" }, { role: "user", content: [{ type: "text", text: "b" }] }], VENDOR_QUIRKS.perplexity);
    assert.deepEqual(out, [{ role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }]);
  });
  it("prepare: default base URLs, optional keys, required base URL for vllm", () => {
    const ollama = OPENAI_COMPATIBLE_VENDORS.ollama.prepare({ id: "d", provider: "ollama", baseUrl: "", region: "", options: {} }, {});
    assert.equal(ollama.origin, "http://localhost:11434");
    assert.deepEqual(ollama.headers, ["content-type", "application/json"]);
    assert.throws(() => OPENAI_COMPATIBLE_VENDORS.vllm.prepare({ id: "d", provider: "vllm", baseUrl: "", region: "", options: {} }, null), /URL/);
    assert.throws(() => OPENAI_COMPATIBLE_VENDORS.groq.prepare({ id: "d", provider: "groq", baseUrl: "", region: "", options: {} }, {}), /api_key/);
  });
});

describe("exciseMember", () => {
  it("removes object/array members at any position with one comma, never inside strings", () => {
    assert.equal(Buffer.from(exciseMember(Buffer.from('{"a":1,"k":{"x":[1,{"y":"}"}]},"b":2}'), "k")).toString(), '{"a":1,"b":2}');
    assert.equal(Buffer.from(exciseMember(Buffer.from('{"k":[{"z":1}],"b":2}'), "k")).toString(), '{"b":2}');
    assert.equal(Buffer.from(exciseMember(Buffer.from('{"b":2, "k" : {} }'), "k")).toString(), '{"b":2 }');
    const text = Buffer.from('{"content":"say \\"k\\":{} here"}');
    assert.equal(exciseMember(text, "k"), text);
    const twice = exciseMember(Buffer.from('{"choices":[{"k":{},"d":1},{"d":2,"k":{"a":"b"}}]}'), "k");
    assert.equal(Buffer.from(twice).toString(), '{"choices":[{"d":1},{"d":2}]}');
  });
});

/** Stream options (with the request time, which newer contracts carry). */
const opts = (clientIncludeUsage: boolean) => ({ clientIncludeUsage, now: 0 });

describe("NormalizingStreamDecoder", () => {
  const quirks = { finishReasons: { eos: "stop" }, exciseKeys: [], dropAnnotationChunks: false };
  it("drops comment-only input and forwards whole unchanged events as the same buffer", () => {
    const d = new NormalizingStreamDecoder(opts(false), quirks);
    assert.equal(d.push(Buffer.from(": keep-alive\n\n")), null);
    const first = Buffer.from('data: {"id":"a","choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}\n\n');
    assert.notEqual(d.push(first), null); // first chunk is parsed once (meta for the usage chunk)
    const second = Buffer.from('data: {"id":"a","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}\n\n');
    assert.equal(d.push(second), second);
    assert.equal(d.started, true);
  });
  it("ends with [DONE] when the upstream stopped after its finish chunk without one", () => {
    const d = new NormalizingStreamDecoder(opts(true), quirks);
    const out = Buffer.from(d.push(Buffer.from('data: {"id":"a","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"eos"}],"usage":{"prompt_tokens":2,"completion_tokens":1}}\n\n')) ?? []).toString();
    assert.match(out, /"finish_reason":"stop"/);
    const tail = Buffer.from(d.end() ?? []).toString();
    assert.match(tail, /"choices":\[\],"usage":\{"prompt_tokens":2,"completion_tokens":1,"total_tokens":3/);
    assert.ok(tail.endsWith("data: [DONE]\n\n"));
  });
});
