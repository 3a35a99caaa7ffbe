import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../errors/proxy-error";
import { createBedrockAdapter } from "./adapter";
import { PARAM_RULES } from "./params";

const adapter = createBedrockAdapter();
const MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
const target = adapter.prepare({ id: "d", provider: "bedrock", baseUrl: "", region: "us-east-1", options: {} }, { api_key: "k" });

function build(json: Record<string, unknown>) {
  const full: Record<string, unknown> = { model: MODEL, messages: [{ role: "user", content: "Hi" }], ...json };
  return adapter.buildChatRequest(target, { body: Buffer.from(JSON.stringify(full)), json: full, upstreamModel: MODEL, stream: full["stream"] === true, clientIncludeUsage: false, now: 0 });
}

function rejects(json: Record<string, unknown>, param: string): void {
  assert.throws(() => build(json), (err: unknown) => {
    assert.ok(err instanceof ProxyError, `expected a ProxyError, got ${String(err)}`);
    assert.equal(err.code, "invalid_request");
    assert.equal(err.status, 400);
    assert.equal(err.param, param);
    return true;
  });
}

const WEATHER = { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } };

describe("bedrock request rejections (invalid_request with param)", () => {
  it("C04 https image URL is rejected (the sidecar does not fetch)", () => {
    rejects({ messages: [{ role: "user", content: [{ type: "text", text: "see" }, { type: "image_url", image_url: { url: "https://example.com/a.png" } }] }] }, "messages[0].content[1].image_url");
  });
  it("unsupported image type, audio input, file ids", () => {
    rejects({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/bmp;base64,Qk0=" } }] }] }, "messages[0].content[0].image_url");
    rejects({ messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "AA==", format: "wav" } }] }] }, "messages[0].content[0]");
    rejects({ messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-1" } }] }] }, "messages[0].content[0].file");
  });
  it("C17 n > 1, logprobs, audio output and deprecated functions", () => {
    rejects({ n: 2 }, "n");
    rejects({ logprobs: true }, "logprobs");
    rejects({ top_logprobs: 3 }, "top_logprobs");
    rejects({ modalities: ["text", "audio"] }, "modalities");
    rejects({ functions: [{ name: "f" }] }, "functions");
  });
  it("benign defaults of rejected fields pass", () => {
    build({ n: 1, logprobs: false, top_logprobs: 0, modalities: ["text"], audio: null });
  });
  it("tools: custom tools, the reserved JSON tool name, a tool_choice naming an unknown tool", () => {
    rejects({ tools: [{ type: "custom", custom: { name: "x" } }] }, "tools[0]");
    rejects({ tools: [{ type: "function", function: { name: "sidegate_json_output" } }] }, "tools[0].function.name");
    rejects({ tools: [WEATHER], tool_choice: { type: "function", function: { name: "nope" } } }, "tool_choice");
  });
  it("response_format json_schema with tools (forced-tool mode) and non-object schemas", () => {
    rejects({ tools: [WEATHER], response_format: { type: "json_schema", json_schema: { name: "a", schema: { type: "object" } } } }, "response_format");
    rejects({ response_format: { type: "json_schema", json_schema: { name: "a", schema: { type: "array" } } } }, "response_format.json_schema.schema");
    rejects({ response_format: { type: "xml" } }, "response_format");
  });
  it("bad roles, tool messages without tool_call_id, bad max tokens and stop", () => {
    rejects({ messages: [{ role: "function", name: "f", content: "x" }] }, "messages[0].role");
    rejects({ messages: [{ role: "user", content: "a" }, { role: "tool", content: "x" }] }, "messages[1].tool_call_id");
    rejects({ max_completion_tokens: 0 }, "max_completion_tokens");
    rejects({ max_tokens: 1.5 }, "max_tokens");
    rejects({ stop: [1] }, "stop");
    rejects({ messages: [] }, "messages");
  });
});

describe("bedrock request mapping details", () => {
  const body = (json: Record<string, unknown>) => JSON.parse(Buffer.from(build(json).body).toString("utf8")) as Record<string, unknown>;
  it("blank text blocks are dropped and consecutive user turns merged", () => {
    const b = body({ messages: [{ role: "user", content: "A" }, { role: "user", content: [{ type: "text", text: "  " }, { type: "text", text: "B" }] }, { role: "assistant", content: "" }] });
    assert.deepEqual(b["messages"], [{ role: "user", content: [{ text: "A" }, { text: "B" }] }]);
  });
  it("allowed_tools filters the tool list; mode required → any", () => {
    const b = body({ tools: [WEATHER, { type: "function", function: { name: "t2" } }], tool_choice: { type: "allowed_tools", allowed_tools: { mode: "required", tools: [{ type: "function", function: { name: "t2" } }] } } });
    assert.deepEqual(b["toolConfig"], { tools: [{ toolSpec: { name: "t2", inputSchema: { json: { type: "object", properties: {} } } } }], toolChoice: { any: {} } });
  });
  it("tool_choice auto is sent explicitly; no tool_choice sends none", () => {
    assert.deepEqual((body({ tools: [WEATHER], tool_choice: "auto" })["toolConfig"] as Record<string, unknown>)["toolChoice"], { auto: {} });
    assert.equal((body({ tools: [WEATHER] })["toolConfig"] as Record<string, unknown>)["toolChoice"], undefined);
  });
  it("every rule-table entry is map, drop or reject", () => {
    for (const [field, rule] of Object.entries(PARAM_RULES)) assert.ok(["map", "drop", "reject"].includes(rule.action), field);
  });
});

describe("bedrock prepare", () => {
  const spec = (over: Partial<{ baseUrl: string; region: string; options: Record<string, string> }>) => ({ id: "d", provider: "bedrock", baseUrl: "", region: "", options: {}, ...over });
  it("default endpoint from the region; base_url override keeps host:port and path prefix", () => {
    assert.equal(adapter.prepare(spec({ region: "eu-west-3" }), { api_key: "k" }).origin, "https://bedrock-runtime.eu-west-3.amazonaws.com");
    const t = adapter.prepare(spec({ baseUrl: "http://127.0.0.1:9999/x/", region: "us-west-2" }), { access_key_id: "a", secret_access_key: "s" });
    assert.equal(t.origin, "http://127.0.0.1:9999");
    assert.equal(t.chatPath, "/x/model/{modelId}/converse");
  });
  it("the signing region is read from an AWS host name when the deployment names none", () => {
    const t = adapter.prepare(spec({ baseUrl: "https://bedrock-runtime.eu-north-1.amazonaws.com" }), { access_key_id: "a", secret_access_key: "s" });
    const part = (t as unknown as { bedrock: { auth: { region: string } } }).bedrock;
    assert.equal(part.auth.region, "eu-north-1");
  });
  it("throws on bad data", () => {
    assert.throws(() => adapter.prepare(spec({}), { api_key: "k" }), /needs a region/);
    assert.throws(() => adapter.prepare(spec({ region: "not a region" }), { api_key: "k" }), /region/);
    assert.throws(() => adapter.prepare(spec({ baseUrl: "https://x.example" }), { access_key_id: "a", secret_access_key: "s" }), /needs the deployment region/);
    assert.throws(() => adapter.prepare(spec({ region: "us-east-1" }), { access_key_id: "a" }), /both/);
    assert.throws(() => adapter.prepare(spec({ region: "us-east-1" }), {}), /neither/);
    assert.throws(() => adapter.prepare(spec({ region: "us-east-1", options: { structured_output: "magic" } }), { api_key: "k" }), /structured_output/);
    assert.throws(() => adapter.prepare(spec({ region: "us-east-1", options: { guardrail_identifier: "g" } }), { api_key: "k" }), /guardrail/);
  });
  it("no credential → no authorization header", () => {
    const t = adapter.prepare(spec({ region: "us-east-1" }), null);
    assert.deepEqual([...t.headers], ["content-type", "application/json"]);
  });
});
