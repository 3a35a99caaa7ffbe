import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { float32Base64 } from "../providers/shared/embeddings";
import { splitInputs } from "./embeddings";
import { encodeEmbeddingsList } from "./embeddings-list";

describe("splitInputs", () => {
  // checklist #59
  it("cuts consecutive slices of at most the limit, keeping start offsets", () => {
    const inputs = ["a", "b", "c", "d", "e"];
    assert.deepEqual(splitInputs(inputs, 2), [{ start: 0, inputs: ["a", "b"] }, { start: 2, inputs: ["c", "d"] }, { start: 4, inputs: ["e"] }]);
    assert.deepEqual(splitInputs(inputs, 96).length, 1);
    assert.equal(splitInputs(new Array(150).fill("x"), 96).map((s) => s.inputs.length).join(","), "96,54");
  });
});

describe("encodeEmbeddingsList", () => {
  it("writes the OpenAI list with index = position, in the client's encoding", () => {
    const floats = JSON.parse(encodeEmbeddingsList([[0.5], float32Base64([0.25])], "float", "m", 9)?.toString() ?? "null") as unknown;
    assert.deepEqual(floats, {
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.5] }, { object: "embedding", index: 1, embedding: [0.25] }],
      model: "m",
      usage: { prompt_tokens: 9, total_tokens: 9 },
    });
    const b64 = JSON.parse(encodeEmbeddingsList([[0.5]], "base64", "m", 1)?.toString() ?? "null") as { data: { embedding: string }[] };
    assert.equal(b64.data[0]?.embedding, float32Base64([0.5]));
    assert.equal(encodeEmbeddingsList(["??"], "float", "m", 0), null);
  });
});
