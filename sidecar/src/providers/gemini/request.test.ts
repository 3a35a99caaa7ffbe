import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../errors/proxy-error";
import type { ChatInput, DeploymentSpec } from "../types";
import { geminiAdapter, vertexAdapter } from "./adapter";
import { PARAMETER_RULES } from "./params";

const spec = (over: Partial<DeploymentSpec> = {}): DeploymentSpec => ({ id: "d1", provider: "gemini", baseUrl: "", region: "", options: {}, ...over });
const gemini = geminiAdapter.prepare(spec(), { api_key: "k" });

function input(json: Record<string, unknown>, over: Partial<ChatInput> = {}): ChatInput {
  return { body: Buffer.from(JSON.stringify(json)), json, upstreamModel: String(json["model"]), stream: json["stream"] === true, clientIncludeUsage: false, now: 0, ...over };
}

function sent(json: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(Buffer.from(geminiAdapter.buildChatRequest(gemini, input(json)).body).toString("utf8")) as Record<string, unknown>;
}

function rejects(json: Record<string, unknown>, param: string, target = gemini): void {
  assert.throws(
    () => (target === gemini ? geminiAdapter : vertexAdapter).buildChatRequest(target, input(json)),
    (err: unknown) => err instanceof ProxyError && err.code === "invalid_request" && err.status === 400 && err.param === param,
    `expected invalid_request on ${param}`,
  );
}

const msgs = [{ role: "user", content: "hi" }];

describe("gemini prepare", () => {
  it("defaults to the public endpoint with x-goog-api-key", () => {
    assert.equal(gemini.origin, "https://generativelanguage.googleapis.com");
    assert.equal(gemini.chatPath, "/v1beta/models/");
    assert.deepEqual([...gemini.headers], ["content-type", "application/json", "x-goog-api-key", "k"]);
  });

  it("keeps a versioned base path, appends api_version otherwise, no auth header without a credential", () => {
    assert.equal(geminiAdapter.prepare(spec({ baseUrl: "http://127.0.0.1:9/v1beta" }), null).chatPath, "/v1beta/models/");
    const v1 = geminiAdapter.prepare(spec({ baseUrl: "http://127.0.0.1:9/proxy/", options: { api_version: "v1" } }), null);
    assert.equal(v1.chatPath, "/proxy/v1/models/");
    assert.deepEqual([...v1.headers], ["content-type", "application/json"]);
  });

  it("fails fast on bad deployments", () => {
    assert.throws(() => geminiAdapter.prepare(spec(), { token: "x" }), /api_key/);
    assert.throws(() => geminiAdapter.prepare(spec({ baseUrl: "ftp://x" }), null), /http/);
    assert.throws(() => geminiAdapter.prepare(spec({ options: { schema_mode: "yaml" } }), null), /schema_mode/);
  });
});

describe("vertex prepare", () => {
  it("derives regional, global and multi-region hosts", () => {
    const host = (location: string): string => vertexAdapter.prepare(spec({ options: { project: "p", location } }), { access_token: "t" }).origin;
    assert.equal(host("europe-west4"), "https://europe-west4-aiplatform.googleapis.com");
    assert.equal(host("global"), "https://aiplatform.googleapis.com");
    assert.equal(host("eu"), "https://aiplatform.eu.rep.googleapis.com");
  });

  it("uses region when no location option, Bearer access token, base URL override keeps the path", () => {
    const t = vertexAdapter.prepare(spec({ region: "us-central1", baseUrl: "http://127.0.0.1:7", options: { project: "acme", api_version: "v1beta1" } }), { access_token: "ya29" });
    assert.equal(t.origin, "http://127.0.0.1:7");
    assert.equal(t.chatPath, "/v1beta1/projects/acme/locations/us-central1/publishers/google/models/");
    assert.deepEqual([...t.headers], ["content-type", "application/json", "authorization", "Bearer ya29"]);
  });

  it("requires project, location and an access_token", () => {
    assert.throws(() => vertexAdapter.prepare(spec({ region: "us-central1" }), { access_token: "t" }), /project/);
    assert.throws(() => vertexAdapter.prepare(spec({ options: { project: "p" } }), { access_token: "t" }), /location/);
    assert.throws(() => vertexAdapter.prepare(spec({ region: "r", options: { project: "p" } }), { api_key: "k" }), /access_token/);
    assert.throws(() => vertexAdapter.prepare(spec({ region: "r", options: { project: "p/../x" } }), null), /project/);
  });
});

describe("gemini request rules", () => {
  it("every rule in the table is map, drop or reject with a reason", () => {
    for (const [field, rule] of Object.entries(PARAMETER_RULES)) {
      assert.ok(rule.action === "map" ? rule.to.length > 0 : rule.why.length > 0, field);
    }
  });

  it("rejects what it cannot honour, naming the parameter", () => {
    rejects({ model: "gemini-2.5-flash", messages: msgs, audio: { voice: "alloy", format: "mp3" } }, "audio");
    rejects({ model: "gemini-2.5-flash", messages: msgs, modalities: ["text", "audio"] }, "modalities");
    rejects({ model: "gemini-2.5-flash", messages: msgs, functions: [{ name: "f" }] }, "functions");
    rejects({ model: "gemini-2.5-flash", messages: msgs, web_search_options: {} }, "web_search_options");
    rejects({ model: "gemini-2.5-flash", messages: msgs, tools: [{ type: "custom", custom: { name: "x" } }] }, "tools[0].type");
    rejects({ model: "gemini-2.5-flash", messages: msgs, temperature: "hot" }, "temperature");
    rejects({ model: "gemini-2.5-flash", messages: msgs, reasoning_effort: "max" }, "reasoning_effort");
    rejects({ model: "gemini-2.5-flash", messages: [{ role: "function", name: "f", content: "x" }] }, "messages[0].role");
    rejects({ model: "../etc", messages: msgs }, "model");
  });

  it("C4: remote https image URLs are rejected (the sidecar does not fetch); gs:// only on Vertex", () => {
    const image = (url: string) => ({ model: "gemini-2.5-flash", messages: [{ role: "user", content: [{ type: "text", text: "x" }, { type: "image_url", image_url: { url } }] }] });
    rejects(image("https://example.com/cat.png"), "messages[0].content[1].image_url");
    rejects(image("gs://bucket/cat.png"), "messages[0].content[1].image_url");
    const vertex = vertexAdapter.prepare(spec({ region: "us-central1", options: { project: "p" } }), { access_token: "t" });
    rejects(image("https://generativelanguage.googleapis.com/v1beta/files/abc"), "messages[0].content[1].image_url", vertex);
    rejects(image("gs://bucket/no-extension"), "messages[0].content[1].image_url", vertex);
  });

  it("a tool message whose tool_call_id matches no preceding call is rejected", () => {
    rejects({ model: "gemini-2.5-flash", messages: [...msgs, { role: "tool", tool_call_id: "call_x", content: "r" }] }, "messages[1].tool_call_id");
  });

  it("keeps modalities [text], maps audio/pdf input, logprobs and reasoning effort", () => {
    const body = sent({
      model: "gemini-2.5-flash",
      modalities: ["text"],
      logprobs: true,
      top_logprobs: 3,
      reasoning_effort: "low",
      messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "UklG", format: "wav" } }, { type: "file", file: { file_data: "JVBERi0=", filename: "a.pdf" } }] }],
    });
    assert.deepEqual(body["contents"], [{ role: "user", parts: [{ inlineData: { mimeType: "audio/wav", data: "UklG" } }, { inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } }] }]);
    assert.deepEqual(body["generationConfig"], { responseLogprobs: true, logprobs: 3, thinkingConfig: { thinkingBudget: 1024 } });
    const g3 = sent({ model: "gemini-3-pro-preview", reasoning_effort: "high", messages: msgs });
    assert.deepEqual(g3["generationConfig"], { thinkingConfig: { thinkingLevel: "high" } });
  });

  it("schema_mode json sends full JSON Schema unchanged; allowed_tools auto → VALIDATED", () => {
    const t = geminiAdapter.prepare(spec({ options: { schema_mode: "json" } }), null);
    const schema = { type: "object", properties: { a: { type: ["string", "null"] } }, additionalProperties: false };
    const json = { model: "gemini-2.5-flash", messages: msgs, tools: [{ type: "function", function: { name: "f", parameters: schema } }], tool_choice: { type: "allowed_tools", allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "f" } }] } }, response_format: { type: "json_schema", json_schema: { name: "x", schema } } };
    const body = JSON.parse(Buffer.from(geminiAdapter.buildChatRequest(t, input(json)).body).toString("utf8")) as Record<string, Record<string, unknown>>;
    assert.deepEqual(body["tools"], [{ functionDeclarations: [{ name: "f", parametersJsonSchema: schema }] }]);
    assert.deepEqual(body["toolConfig"], { functionCallingConfig: { mode: "VALIDATED", allowedFunctionNames: ["f"] } });
    assert.deepEqual(body["generationConfig"]?.["responseJsonSchema"], schema);
  });

  it("tool_call_id ↔ name bookkeeping follows the nearest assistant message and the call order", () => {
    const body = sent({
      model: "gemini-2.5-flash",
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", tool_calls: [{ id: "same", type: "function", function: { name: "first", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "same", content: "1" },
        { role: "assistant", tool_calls: [{ id: "x", type: "function", function: { name: "x_fn", arguments: "{}" } }, { id: "same", type: "function", function: { name: "second", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "same", content: "2" },
        { role: "tool", tool_call_id: "x", content: "3" },
      ],
    });
    const contents = body["contents"] as { parts: { functionResponse?: { name: string } }[] }[];
    assert.equal(contents[2]?.parts[0]?.functionResponse?.name, "first");
    assert.deepEqual(contents[4]?.parts.map((p) => p.functionResponse?.name), ["x_fn", "second"]);
  });
});
