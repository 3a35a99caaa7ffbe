import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { embeddingsInput, jsonBody, responseContext } from "../shared/embeddings-testing";
import { bedrockAdapter } from "./adapter";
import { embeddingFamily } from "./embeddings";

const creds = { access_key_id: "AKIDEXAMPLE", secret_access_key: "secret" };
const target = bedrockAdapter.prepare({ id: "b", provider: "bedrock", baseUrl: "", region: "us-east-1", options: {} }, creds);
const cap = bedrockAdapter.embeddings;
const body = (b: Uint8Array): unknown => JSON.parse(Buffer.from(b).toString("utf8"));
const header = (list: readonly string[], name: string): string | undefined => list[list.indexOf(name) + 1];

describe("Bedrock embeddings (InvokeModel)", () => {
  it("knows the families by model id, including profiles and ARNs", () => {
    assert.equal(embeddingFamily("amazon.titan-embed-text-v2:0"), "titan-v2");
    assert.equal(embeddingFamily("amazon.titan-embed-text-v1"), "titan-v1");
    assert.equal(embeddingFamily("us.cohere.embed-v4:0"), "cohere");
    assert.equal(embeddingFamily("arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-english-v3"), "cohere");
    assert.equal(embeddingFamily("anthropic.claude-3-haiku"), null);
    assert.ok(cap);
    assert.deepEqual(["amazon.titan-embed-text-v2:0", "cohere.embed-english-v3", "meta.llama3"].map((m) => cap.batchLimit(m)), [1, 96, 0]);
  });
  it("Titan v2: one inputText per call, dimensions, SigV4-signed invoke path", () => {
    assert.ok(cap);
    const req = cap.buildEmbeddingsRequest(target, embeddingsInput({ model: "e", input: ["a", "b"], dimensions: 256 }, { inputs: ["b"], whole: false, upstreamModel: "amazon.titan-embed-text-v2:0" }));
    assert.equal(req.path, "/model/amazon.titan-embed-text-v2%3A0/invoke");
    assert.deepEqual(body(req.body), { inputText: "b", dimensions: 256 });
    assert.match(header(req.headers, "authorization") ?? "", /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260101\/us-east-1\/bedrock\/aws4_request/);
    assert.equal(header(req.headers, "x-amz-date"), "20260101T000000Z");
  });
  it("Titan v1 rejects dimensions before sending", () => {
    assert.ok(cap);
    assert.throws(() => cap.buildEmbeddingsRequest(target, embeddingsInput({ model: "e", input: "a", dimensions: 8 }, { upstreamModel: "amazon.titan-embed-text-v1" })), (e: { param?: string }) => e.param === "dimensions");
  });
  it("Cohere on Bedrock: the embed body without model; tokens from the header", () => {
    assert.ok(cap);
    const req = cap.buildEmbeddingsRequest(target, embeddingsInput({ model: "e", input: ["a", "b"] }, { upstreamModel: "cohere.embed-english-v3" }));
    assert.deepEqual(body(req.body), { texts: ["a", "b"], input_type: "search_document", embedding_types: ["float"] });
    const parsed = cap.parseEmbeddingsResponse(jsonBody({ id: "i", embeddings: { float: [[1], [2]] }, response_type: "embeddings_by_type" }), responseContext(["a", "b"], { headers: { "x-amzn-bedrock-input-token-count": "6" } }));
    assert.ok(parsed.ok);
    assert.deepEqual([parsed.vectors, parsed.promptTokens], [[[1], [2]], 6]);
    const floats = cap.parseEmbeddingsResponse(jsonBody({ embeddings: [[3]], response_type: "embeddings_floats" }), responseContext(["a"]));
    assert.ok(floats.ok && floats.vectors.length === 1);
  });
  it("Titan response: embedding and inputTextTokenCount", () => {
    assert.ok(cap);
    const parsed = cap.parseEmbeddingsResponse(jsonBody({ embedding: [0.5], inputTextTokenCount: 3 }), responseContext(["a"]));
    assert.ok(parsed.ok);
    assert.deepEqual([parsed.vectors, parsed.promptTokens], [[[0.5]], 3]);
  });
});
