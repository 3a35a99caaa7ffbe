import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../errors/proxy-error";
import type { ChatInput } from "../types";
import { createAnthropicAdapter } from "./adapter";
import { PARAM_RULES } from "./params";

const adapter = createAnthropicAdapter();
const spec = { id: "d1", provider: "anthropic", baseUrl: "", region: "", options: {} };
const target = adapter.prepare(spec, { api_key: "sk-ant" });

function build(json: Record<string, unknown>): Record<string, unknown> {
  const input = { body: Buffer.from(JSON.stringify(json)), json, upstreamModel: "claude-up", stream: json["stream"] === true, clientIncludeUsage: false, now: 0 } as ChatInput;
  return JSON.parse(Buffer.from(adapter.buildChatRequest(target, input).body).toString()) as Record<string, unknown>;
}

function rejects(json: Record<string, unknown>, param: string): void {
  assert.throws(() => build(json), (err: unknown) => {
    assert.ok(err instanceof ProxyError, String(err));
    assert.equal(err.code, "invalid_request");
    assert.equal(err.status, 400);
    assert.equal(err.param, param);
    return true;
  });
}

const user = (content: unknown) => ({ role: "user", content });
const base = { model: "m", messages: [user("hi")] };
const fn = (name: string, parameters?: unknown) => ({ type: "function", function: { name, ...(parameters === undefined ? {} : { parameters }) } });

describe("anthropic prepare", () => {
  it("defaults the base URL, builds the messages path and constant headers once", () => {
    assert.equal(target.origin, "https://api.anthropic.com");
    assert.equal(target.chatPath, "/v1/messages");
    assert.deepEqual(target.headers, ["content-type", "application/json", "anthropic-version", "2023-06-01", "x-api-key", "sk-ant"]);
  });
  it("accepts base URLs with or without /v1 and a path prefix", () => {
    assert.equal(adapter.prepare({ ...spec, baseUrl: "https://gw.example.com/anthropic/" }, null).chatPath, "/anthropic/v1/messages");
    assert.equal(adapter.prepare({ ...spec, baseUrl: "http://127.0.0.1:9/v1" }, null).chatPath, "/v1/messages");
  });
  it("uses auth_token as a bearer token, sends no credential header without secrets", () => {
    assert.deepEqual(adapter.prepare(spec, { auth_token: "oat" }).headers.slice(4), ["authorization", "Bearer oat"]);
    assert.equal(adapter.prepare(spec, null).headers.length, 4);
  });
  it("rejects bad deployments at snapshot time", () => {
    assert.throws(() => adapter.prepare(spec, {}), /api_key/);
    assert.throws(() => adapter.prepare({ ...spec, baseUrl: "ftp://x" }, null), /http/);
    assert.throws(() => adapter.prepare({ ...spec, options: { default_max_tokens: "0" } }, null), /default_max_tokens/);
    assert.throws(() => adapter.prepare({ ...spec, options: { default_max_tokens: "12.5" } }, null), /default_max_tokens/);
  });
});

describe("anthropic buildChatRequest", () => {
  it("sends the upstream model and only mapped fields; does not mutate the input", () => {
    const json = { ...base, stream: true, stream_options: { include_usage: false }, seed: 1 };
    const copy = structuredClone(json);
    const out = build(json);
    assert.deepEqual(out, { model: "claude-up", max_tokens: 4096, messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], stream: true });
    assert.deepEqual(json, copy);
  });
  it("rejects what it cannot honour, naming the parameter", () => {
    rejects({ ...base, n: 2 }, "n");
    rejects({ ...base, modalities: ["text", "audio"] }, "modalities");
    rejects({ ...base, functions: [{ name: "f" }] }, "functions");
    rejects({ model: "m", messages: [user([{ type: "input_audio", input_audio: { data: "AA==", format: "wav" } }])] }, "messages[0].content[0]");
    rejects({ model: "m", messages: [user([{ type: "image_url", image_url: { url: "data:image/tiff;base64,AA==" } }])] }, "messages[0].content[0].image_url");
    rejects({ model: "m", messages: [user([{ type: "image_url", image_url: { url: "file:///etc/passwd" } }])] }, "messages[0].content[0].image_url");
    rejects({ model: "m", messages: [user([{ type: "file", file: { file_id: "file-1" } }])] }, "messages[0].content[0].file");
    rejects({ model: "m", messages: [{ role: "function", name: "f", content: "x" }] }, "messages[0].role");
    rejects({ model: "m", messages: [{ role: "system", content: "only system" }] }, "messages");
    rejects({ ...base, tools: [{ type: "custom", custom: { name: "c" } }] }, "tools[0]");
    rejects({ ...base, tools: [fn("f", { type: "string" })] }, "tools[0].function.parameters");
    rejects({ ...base, tools: [fn("sidegate_json_output")] }, "tools[0].function.name");
    rejects({ ...base, tools: [fn("f")], tool_choice: { type: "function", function: { name: "g" } } }, "tool_choice");
    rejects({ ...base, tools: [fn("f")], tool_choice: { type: "allowed_tools", allowed_tools: { mode: "auto", tools: [] } } }, "tool_choice");
    rejects({ ...base, tools: [fn("f")], tool_choice: "required", response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" } } } }, "response_format");
    rejects({ ...base, response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "array" } } } }, "response_format.json_schema.schema");
    rejects({ ...base, max_tokens: 0 }, "max_tokens");
    rejects({ ...base, stop: [1] }, "stop");
  });
  it("every rule in the table has a known action", () => {
    for (const [field, rule] of Object.entries(PARAM_RULES)) assert.ok(["map", "drop", "reject"].includes(rule.action), field);
    assert.doesNotThrow(() => build({ ...base, n: 1, modalities: ["text"], audio: null }));
  });
  it("converts PDF and text files to document blocks", () => {
    const out = build({ model: "m", messages: [user([
      { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } },
      { type: "file", file: { file_data: `data:text/plain;base64,${Buffer.from("héllo").toString("base64")}` } },
    ])] });
    assert.deepEqual((out["messages"] as Array<{ content: unknown }>)[0]?.content, [
      { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" }, title: "a.pdf" },
      { type: "document", source: { type: "text", media_type: "text/plain", data: "héllo" } },
    ]);
  });
  it("keeps tool_result blocks first in a merged user turn and drops empty texts and empty assistant turns", () => {
    const out = build({ model: "m", messages: [
      user("q"),
      { role: "assistant", content: "", tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "[1]" } }] },
      { role: "tool", tool_call_id: "c1", content: "" },
      user([{ type: "text", text: "" }, { type: "text", text: "more" }]),
      { role: "assistant", content: null },
      user("again"),
    ], tools: [fn("f")] });
    assert.deepEqual(out["messages"], [
      { role: "user", content: [{ type: "text", text: "q" }] },
      { role: "assistant", content: [{ type: "tool_use", id: "c1", name: "f", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "c1" }, { type: "text", text: "more" }, { type: "text", text: "again" }] },
    ]);
  });
  it("json_schema with client tools lets the model choose a real tool or the answer tool", () => {
    const out = build({ ...base, tools: [fn("f")], parallel_tool_calls: false, response_format: { type: "json_schema", json_schema: { name: "r", schema: { type: "object" } } } });
    assert.deepEqual((out["tools"] as Array<{ name: string }>).map((t) => t.name), ["f", "sidegate_json_output"]);
    assert.deepEqual(out["tool_choice"], { type: "any", disable_parallel_tool_use: true });
  });
  it("maps reasoning_effort to a thinking budget below max_tokens, dropping sampling parameters", () => {
    const high = build({ ...base, reasoning_effort: "high", max_completion_tokens: 32000, temperature: 0.2, top_p: 0.5 });
    assert.deepEqual(high["thinking"], { type: "enabled", budget_tokens: 16000 });
    assert.deepEqual(build({ ...base, reasoning_effort: "high", max_tokens: 100000 })["thinking"], { type: "enabled", budget_tokens: 16384 });
    assert.equal(high["temperature"], undefined);
    assert.equal(high["top_p"], undefined);
    assert.equal(build({ ...base, reasoning_effort: "low", max_tokens: 2047 })["thinking"], undefined, "no room for the minimum budget");
    assert.equal(build({ ...base, reasoning_effort: "minimal" })["thinking"], undefined);
    assert.equal(build({ ...base, reasoning_effort: "high", tools: [fn("f")], tool_choice: "required" })["thinking"], undefined);
  });
  it("safety_identifier wins over user; whitespace-only stop sequences are dropped", () => {
    const out = build({ ...base, user: "u", safety_identifier: "s", stop: ["  ", "END"] });
    assert.deepEqual(out["metadata"], { user_id: "s" });
    assert.deepEqual(out["stop_sequences"], ["END"]);
  });
});
