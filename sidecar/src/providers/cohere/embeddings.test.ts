import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { embeddingsInput, jsonBody, responseContext } from "../shared/embeddings-testing";
import { cohereAdapter } from "./adapter";

const prepare = (options: Record<string, string>) => cohereAdapter.prepare({ id: "c", provider: "cohere", baseUrl: "", region: "", options }, { api_key: "k" });
const cap = cohereAdapter.embeddings;
const body = (b: Uint8Array): unknown => JSON.parse(Buffer.from(b).toString("utf8"));

describe("Cohere /v2/embed", () => {
  it("texts, default input_type search_document, floats, dimensions → output_dimension", () => {
    assert.ok(cap);
    const req = cap.buildEmbeddingsRequest(prepare({}), embeddingsInput({ model: "embed-v4.0", input: ["a", "b"], dimensions: 256, encoding_format: "base64", user: "u" }));
    assert.equal(req.path, "/v2/embed");
    assert.deepEqual(body(req.body), { model: "embed-v4.0", texts: ["a", "b"], input_type: "search_document", embedding_types: ["float"], output_dimension: 256 });
    assert.equal(cap.batchLimit("embed-v4.0"), 96);
  });
  it("input_type from the deployment option, the request field winning", () => {
    assert.ok(cap);
    const t = prepare({ input_type: "clustering" });
    assert.equal((body(cap.buildEmbeddingsRequest(t, embeddingsInput({ model: "m", input: "a" })).body) as { input_type: string }).input_type, "clustering");
    assert.equal((body(cap.buildEmbeddingsRequest(t, embeddingsInput({ model: "m", input: "a", input_type: "search_query" })).body) as { input_type: string }).input_type, "search_query");
  });
  it("parses embeddings.float and billed input tokens", () => {
    assert.ok(cap);
    const parsed = cap.parseEmbeddingsResponse(jsonBody({ id: "x", embeddings: { float: [[1], [2]] }, meta: { billed_units: { input_tokens: 5 } }, response_type: "embeddings_by_type" }), responseContext(["a", "b"]));
    assert.ok(parsed.ok);
    assert.deepEqual([parsed.vectors, parsed.promptTokens], [[[1], [2]], 5]);
    assert.equal(cap.parseEmbeddingsResponse(jsonBody({ embeddings: { int8: [[1]] } }), responseContext(["a"])).ok, false);
  });
});
