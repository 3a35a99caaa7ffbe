import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../errors/proxy-error";
import { checkEmbeddingsBody, MAX_EMBEDDING_INPUTS } from "./embeddings-body";

const param = (json: unknown): string | null | undefined => {
  const r = checkEmbeddingsBody(json);
  return r instanceof ProxyError ? r.param : undefined;
};

describe("checkEmbeddingsBody", () => {
  it("accepts every OpenAI input shape and normalises to a list", () => {
    const ok = (input: unknown) => checkEmbeddingsBody({ model: "m", input });
    assert.deepEqual(ok("a"), { inputs: ["a"], encoding: "float", dimensions: null, hasTokenInputs: false });
    assert.deepEqual(ok(["a", "b"]), { inputs: ["a", "b"], encoding: "float", dimensions: null, hasTokenInputs: false });
    assert.deepEqual(ok([1, 2]), { inputs: [[1, 2]], encoding: "float", dimensions: null, hasTokenInputs: true });
    assert.deepEqual(ok([[1], [2, 3]]), { inputs: [[1], [2, 3]], encoding: "float", dimensions: null, hasTokenInputs: true });
    assert.deepEqual(checkEmbeddingsBody({ model: "m", input: "a", encoding_format: "base64", dimensions: 8, user: "u" }), { inputs: ["a"], encoding: "base64", dimensions: 8, hasTokenInputs: false });
    assert.deepEqual(checkEmbeddingsBody({ model: "m", input: "a", encoding_format: null, dimensions: null, user: null }), { inputs: ["a"], encoding: "float", dimensions: null, hasTokenInputs: false });
  });
  it("names the offending field in param", () => {
    assert.equal(param([]), null);
    assert.equal(param({ input: "a" }), "model");
    assert.equal(param({ model: "m" }), "input");
    assert.equal(param({ model: "m", input: "" }), "input");
    assert.equal(param({ model: "m", input: [] }), "input");
    assert.equal(param({ model: "m", input: [1.5] }), "input");
    assert.equal(param({ model: "m", input: ["a", ""] }), "input[1]");
    assert.equal(param({ model: "m", input: ["a", [-1]] }), "input[1]");
    assert.equal(param({ model: "m", input: ["a", 3] }), "input[1]");
    assert.equal(param({ model: "m", input: new Array(MAX_EMBEDDING_INPUTS + 1).fill("a") }), "input");
    assert.equal(param({ model: "m", input: "a", encoding_format: "int8" }), "encoding_format");
    assert.equal(param({ model: "m", input: "a", dimensions: 0 }), "dimensions");
    assert.equal(param({ model: "m", input: "a", dimensions: "8" }), "dimensions");
    assert.equal(param({ model: "m", input: "a", user: 1 }), "user");
  });
});
