import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChatInput } from "../types";
import { azureOpenAiAdapter, parseAzureResponse } from "./adapter";
import { DEFAULT_API_VERSION } from "./request";

const spec = (baseUrl: string, options: Record<string, string> = {}) => ({ id: "d", provider: "azure-openai", baseUrl, region: "", options });
const input = (json: Record<string, unknown>, upstreamModel = String(json["model"])): ChatInput => ({
  body: Buffer.from(JSON.stringify(json)),
  json,
  upstreamModel,
  stream: json["stream"] === true,
  clientIncludeUsage: false,
  now: 0,
});

describe("azure-openai prepare / request", () => {
  it("validates endpoint, api_style, api_version and credentials", () => {
    assert.throws(() => azureOpenAiAdapter.prepare(spec("nope"), null), /URL/);
    assert.throws(() => azureOpenAiAdapter.prepare(spec("https://r.openai.azure.com", { api_style: "v2" }), null), /api_style/);
    assert.throws(() => azureOpenAiAdapter.prepare(spec("https://r.openai.azure.com", { api_version: "a&b=c" }), null), /api_version/);
    assert.throws(() => azureOpenAiAdapter.prepare(spec("https://r.openai.azure.com"), {}), /api_key nor access_token/);
  });
  it("prefers the Entra token over the key and pre-encodes the headers once", () => {
    const t = azureOpenAiAdapter.prepare(spec("https://r.openai.azure.com"), { api_key: "k", access_token: "t" });
    assert.deepEqual(t.headers, ["content-type", "application/json", "authorization", "Bearer t"]);
    assert.equal(t.origin, "https://r.openai.azure.com");
  });
  it("uses the documented default api-version and the upstream model per request when no deployment is set", () => {
    const t = azureOpenAiAdapter.prepare(spec("https://r.openai.azure.com/"), { api_key: "k" });
    const a = azureOpenAiAdapter.buildChatRequest(t, input({ model: "x", messages: [] }, "dep-a"));
    const b = azureOpenAiAdapter.buildChatRequest(t, input({ model: "x", messages: [] }, "dep/b"));
    assert.equal(a.path, `/openai/deployments/dep-a/chat/completions?api-version=${DEFAULT_API_VERSION}`);
    assert.equal(b.path, `/openai/deployments/dep%2Fb/chat/completions?api-version=${DEFAULT_API_VERSION}`);
  });
  it("keeps the client's bytes on deployment routes even for an alias model", () => {
    const t = azureOpenAiAdapter.prepare(spec("https://r.openai.azure.com", { deployment: "d1" }), { api_key: "k" });
    const i = input({ model: "public", messages: [] }, "private");
    assert.equal(azureOpenAiAdapter.buildChatRequest(t, i).body, i.body);
  });
  it("rejects a target it did not prepare", () => {
    assert.throws(() => azureOpenAiAdapter.buildChatRequest({ origin: "x", chatPath: "/", headers: [] }, input({ model: "m" })), /not prepared/);
  });
});

describe("azure-openai responses", () => {
  it("removes every annotation member from non-stream bodies and chunks", () => {
    const body = Buffer.from(JSON.stringify({ id: "c", prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: {} } }], choices: [{ index: 0, content_filter_results: { hate: { filtered: false } }, message: { content: "content_filter_results" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1 } }));
    const parsed = parseAzureResponse(body);
    assert.ok(parsed.ok);
    const json = JSON.parse(Buffer.from(parsed.body).toString()) as Record<string, unknown>;
    assert.deepEqual(json, { id: "c", choices: [{ index: 0, message: { content: "content_filter_results" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1 } });
  });
});
