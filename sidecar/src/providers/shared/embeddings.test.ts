import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { base64Float32, encodeVector, estimateTokens, float32Base64, stringField, textsOf } from "./embeddings";

describe("embedding vector encodings", () => {
  // checklist #58
  it("base64 is little-endian float32 and round-trips exactly for float32 values", () => {
    const values = [0.5, -1, 0.25, Math.fround(0.1)];
    const b64 = float32Base64(values);
    const bytes = Buffer.from(b64, "base64");
    assert.equal(bytes.length, 16);
    assert.equal(bytes.readFloatLE(0), 0.5);
    assert.deepEqual([...bytes.subarray(4, 8)], [0x00, 0x00, 0x80, 0xbf]); // -1.0f little-endian
    assert.deepEqual(base64Float32(b64), values);
    assert.equal(base64Float32("AAA="), null);
  });
  it("encodeVector converts between the client's and the upstream's encoding", () => {
    assert.equal(encodeVector([0.5, -1], "float"), "[0.5,-1]");
    assert.equal(encodeVector([0.5, -1], "base64"), `"${float32Base64([0.5, -1])}"`);
    assert.equal(encodeVector(float32Base64([0.5, -1]), "float"), "[0.5,-1]");
    assert.equal(encodeVector("not base64!", "float"), null);
    assert.equal(encodeVector('AAAA"', "base64"), null);
  });
});

describe("embedding inputs", () => {
  it("estimates ceil(utf8 bytes / 4) per text and counts token ids", () => {
    assert.equal(estimateTokens(["abcd", "abcde", "é"]), 1 + 2 + 1);
    assert.equal(estimateTokens([[1, 2, 3]]), 3);
  });
  it("text-only providers refuse token ids with invalid_request on input", () => {
    assert.deepEqual(textsOf(["a", "b"]), ["a", "b"]);
    assert.throws(() => textsOf([[1, 2]]), (e: { code?: string; param?: string }) => e.code === "invalid_request" && e.param === "input");
  });
  it("extension fields fall back to the deployment default and must be non-empty strings", () => {
    assert.equal(stringField({}, "input_type", "search_document"), "search_document");
    assert.equal(stringField({ input_type: "search_query" }, "input_type", "search_document"), "search_query");
    assert.throws(() => stringField({ input_type: 3 }, "input_type", null), (e: { param?: string }) => e.param === "input_type");
  });
});
