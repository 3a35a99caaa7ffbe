import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { embeddingsInput, jsonBody, responseContext } from "../shared/embeddings-testing";
import { geminiAdapter, vertexAdapter } from "./adapter";

const gemini = geminiAdapter.prepare({ id: "g", provider: "gemini", baseUrl: "", region: "", options: { task_type: "RETRIEVAL_DOCUMENT" } }, { api_key: "k" });
const vertex = vertexAdapter.prepare({ id: "v", provider: "vertex", baseUrl: "", region: "", options: { project: "p", location: "us-central1" } }, { access_token: "t" });
const body = (b: Uint8Array): unknown => JSON.parse(Buffer.from(b).toString("utf8"));

describe("Gemini API embeddings", () => {
  const cap = geminiAdapter.embeddings;
  it("batchEmbedContents with one request per text, task type and outputDimensionality", () => {
    assert.ok(cap);
    const req = cap.buildEmbeddingsRequest(gemini, embeddingsInput({ model: "gemini-embedding-001", input: ["a", "b"], dimensions: 8 }));
    assert.equal(req.path, "/v1beta/models/gemini-embedding-001:batchEmbedContents");
    const one = { model: "models/gemini-embedding-001", taskType: "RETRIEVAL_DOCUMENT", outputDimensionality: 8 };
    assert.deepEqual(body(req.body), { requests: [{ ...one, content: { parts: [{ text: "a" }] } }, { ...one, content: { parts: [{ text: "b" }] } }] });
    const query = cap.buildEmbeddingsRequest(gemini, embeddingsInput({ model: "gemini-embedding-001", input: "a", task_type: "RETRIEVAL_QUERY" }));
    assert.equal((body(query.body) as { requests: { taskType: string }[] }).requests[0]?.taskType, "RETRIEVAL_QUERY");
    assert.equal(cap.batchLimit("gemini-embedding-001"), 100);
    assert.equal(cap.tokenInputs, false);
  });
  it("parses vectors in order; no token count upstream → the documented estimate", () => {
    assert.ok(cap);
    const parsed = cap.parseEmbeddingsResponse(jsonBody({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] }), responseContext(["abcdefgh", "x"]));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.vectors, [[0.1, 0.2], [0.3, 0.4]]);
    assert.equal(parsed.promptTokens, 2 + 1);
    assert.equal(cap.parseEmbeddingsResponse(jsonBody({ embeddings: [{ values: [0.1] }] }), responseContext(["a", "b"])).ok, false);
  });
});

describe("Vertex AI embeddings", () => {
  const cap = vertexAdapter.embeddings;
  it(":predict with instances and parameters; gemini-embedding models one instance per call", () => {
    assert.ok(cap);
    const req = cap.buildEmbeddingsRequest(vertex, embeddingsInput({ model: "text-embedding-005", input: ["a"], dimensions: 4 }));
    assert.equal(req.path, "/v1/projects/p/locations/us-central1/publishers/google/models/text-embedding-005:predict");
    assert.deepEqual(body(req.body), { instances: [{ content: "a" }], parameters: { outputDimensionality: 4 } });
    assert.equal(cap.batchLimit("text-embedding-005"), 250);
    assert.equal(cap.batchLimit("gemini-embedding-001"), 1);
  });
  it("sums statistics.token_count", () => {
    assert.ok(cap);
    const e = (values: number[], n: number) => ({ embeddings: { values, statistics: { token_count: n, truncated: false } } });
    const parsed = cap.parseEmbeddingsResponse(jsonBody({ predictions: [e([1], 3), e([2], 4)] }), responseContext(["a", "b"]));
    assert.ok(parsed.ok);
    assert.deepEqual([parsed.vectors, parsed.promptTokens], [[[1], [2]], 7]);
  });
});
