import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROVIDERS } from "../registry";
import { embeddingsInput, jsonBody, responseContext } from "../shared/embeddings-testing";
import { float32Base64 } from "../shared/embeddings";
import type { EmbeddingsCapability, PreparedDeployment } from "../types";
import { siblingPath } from "./embeddings";

const prepare = (id: keyof typeof PROVIDERS, baseUrl: string): PreparedDeployment =>
  PROVIDERS[id].prepare({ id: "d", provider: id, baseUrl, region: "", options: {} }, { api_key: "sk-test" });
const cap = (id: keyof typeof PROVIDERS): EmbeddingsCapability => {
  const e = PROVIDERS[id].embeddings;
  assert.ok(e, `${id} embeds`);
  return e;
};
const json = (body: Uint8Array): Record<string, unknown> => JSON.parse(Buffer.from(body).toString("utf8")) as Record<string, unknown>;

describe("OpenAI embeddings request", () => {
  const openai = cap("openai");
  const target = prepare("openai", "https://api.openai.com/v1");
  it("forwards the client's bytes unchanged when nothing needs rewriting", () => {
    const input = embeddingsInput({ model: "text-embedding-3-small", input: ["a", "b"], encoding_format: "base64", user: "u1" });
    const req = openai.buildEmbeddingsRequest(target, input);
    assert.equal(req.path, "/v1/embeddings");
    assert.equal(req.body, input.body);
    assert.deepEqual(req.headers.slice(2, 4), ["authorization", "Bearer sk-test"]);
  });
  it("rewrites model and input for a batch slice, keeping the encoding", () => {
    const input = embeddingsInput({ model: "alias", input: ["a", "b", "c"], encoding_format: "base64" }, { inputs: ["c"], whole: false, upstreamModel: "text-embedding-3-large" });
    assert.deepEqual(json(openai.buildEmbeddingsRequest(target, input).body), { model: "text-embedding-3-large", input: ["c"], encoding_format: "base64" });
  });
  it("takes token ids and 2048 inputs per call", () => {
    assert.equal(openai.tokenInputs, true);
    assert.equal(openai.batchLimit("any"), 2048);
  });
});

describe("OpenAI embeddings response", () => {
  const openai = cap("openai");
  const list = { object: "list", model: "m", data: [{ object: "embedding", index: 1, embedding: [0.5] }, { object: "embedding", index: 0, embedding: [0.25] }], usage: { prompt_tokens: 7, total_tokens: 7 } };
  it("passes the bytes through for a whole request in the client's encoding (usage read)", () => {
    const body = jsonBody(list);
    const parsed = openai.parseEmbeddingsResponse(body, responseContext(["x", "y"], { whole: true }));
    assert.ok(parsed.ok);
    assert.equal(parsed.body, body);
    assert.equal(parsed.promptTokens, 7);
  });
  it("reorders batch items by index and checks the count", () => {
    const parsed = openai.parseEmbeddingsResponse(jsonBody(list), responseContext(["x", "y"]));
    assert.ok(parsed.ok);
    assert.equal(parsed.body, null);
    assert.deepEqual(parsed.vectors, [[0.25], [0.5]]);
    assert.equal(openai.parseEmbeddingsResponse(jsonBody(list), responseContext(["x"])).ok, false);
    assert.equal(openai.parseEmbeddingsResponse(jsonBody({ ...list, data: [list.data[0], list.data[0]] }), responseContext(["x", "y"])).ok, false);
  });
  it("keeps base64 vectors as strings", () => {
    const b64 = float32Base64([1]);
    const parsed = openai.parseEmbeddingsResponse(jsonBody({ data: [{ index: 0, embedding: b64 }], usage: { prompt_tokens: 1 } }), responseContext(["x"], { encoding: "base64" }));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.vectors, [b64]);
  });
});

describe("OpenAI-compatible vendors' embeddings (quirks as data)", () => {
  it("Mistral renames dimensions to output_dimension, drops user, asks base64 upstream", () => {
    const body = json(cap("mistral").buildEmbeddingsRequest(prepare("mistral", ""), embeddingsInput({ model: "mistral-embed", input: "x", dimensions: 256, user: "u", encoding_format: "base64" })).body);
    assert.deepEqual(body, { model: "mistral-embed", input: "x", output_dimension: 256, encoding_format: "base64" });
  });
  it("Ollama gets floats (the sidecar encodes base64) and never passes them through as base64", () => {
    const ollama = cap("ollama");
    const target = prepare("ollama", "http://127.0.0.1:11434/v1");
    const req = ollama.buildEmbeddingsRequest(target, embeddingsInput({ model: "nomic-embed-text", input: ["x"], encoding_format: "base64" }));
    assert.equal(req.path, "/v1/embeddings");
    assert.deepEqual(json(req.body), { model: "nomic-embed-text", input: ["x"] });
    const parsed = ollama.parseEmbeddingsResponse(jsonBody({ data: [{ index: 0, embedding: [0.5] }], usage: { prompt_tokens: 1 } }), responseContext(["x"], { whole: true, encoding: "base64" }));
    assert.ok(parsed.ok);
    assert.equal(parsed.body, null);
    assert.equal(ollama.tokenInputs, false);
  });
  it("vendors without an embeddings endpoint declare none", () => {
    assert.equal(PROVIDERS.groq.embeddings, undefined);
    assert.equal(PROVIDERS.perplexity.embeddings, undefined);
    assert.equal(PROVIDERS.anthropic.embeddings, undefined);
  });
  it("siblingPath swaps the chat endpoint, keeping a query", () => {
    assert.equal(siblingPath("/v1/chat/completions", "/embeddings"), "/v1/embeddings");
    assert.equal(siblingPath("/chat/completions?api-version=1", "/embeddings"), "/embeddings?api-version=1");
  });
});
