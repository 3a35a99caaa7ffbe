import { test } from "node:test";
import assert from "node:assert/strict";
import { base64ToFloat32, deterministicVector, embeddingsResponse, parseEmbeddingsRequest, planVendorEmbeddings, vectorValues } from "./embeddings";

test("vectors are deterministic, unit length and text-dependent", () => {
  const a = deterministicVector("hello", 8);
  const b = deterministicVector("hello", 8);
  const c = deterministicVector("world", 8);
  assert.deepEqual(Array.from(a), Array.from(b));
  assert.notDeepEqual(Array.from(a), Array.from(c));
  const norm = Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(norm - 1) < 1e-6);
});

test("parse: defaults, arrays, validation", () => {
  const ok = parseEmbeddingsRequest({ model: "e", input: "x" });
  assert.ok(ok.ok);
  if (ok.ok) assert.deepEqual(ok.value, { model: "e", inputs: ["x"], dimensions: 8, encoding: "float" });
  const tokens = parseEmbeddingsRequest({ model: "e", input: [1, 2, 3], dimensions: 4, encoding_format: "base64" });
  assert.ok(tokens.ok);
  if (tokens.ok) assert.deepEqual(tokens.value.inputs, [[1, 2, 3]]);
  assert.equal(parseEmbeddingsRequest({ model: "e", input: [] }).ok, false);
  assert.equal(parseEmbeddingsRequest({ model: "e", input: "x", dimensions: 0 }).ok, false);
  assert.equal(parseEmbeddingsRequest({ model: "e", input: "x", encoding_format: "hex" }).ok, false);
  assert.equal(parseEmbeddingsRequest({ input: "x" }).ok, false);
});

test("base64 decodes to the same floats as the float format", () => {
  const asFloat = embeddingsResponse({ model: "e", inputs: ["abcd", "xy"], dimensions: 16, encoding: "float" }, ["abcd", "xy"]);
  const asB64 = embeddingsResponse({ model: "e", inputs: ["abcd", "xy"], dimensions: 16, encoding: "base64" }, ["abcd", "xy"]);
  assert.equal(asFloat.data.length, 2);
  for (let i = 0; i < 2; i++) {
    const f = asFloat.data[i]?.embedding as number[];
    const b = base64ToFloat32(asB64.data[i]?.embedding as string);
    assert.equal(f.length, 16);
    assert.deepEqual(b, f);
  }
  assert.deepEqual(asFloat.usage, { prompt_tokens: 2, total_tokens: 2 }); // 1 + 1
});

test("vendor plans: directives stripped per text, first error wins, usage counts the texts as sent", () => {
  const plan = planVendorEmbeddings(["abcd", "x [mock:error=429:retry-after=3]", "y [mock:error=500]"]);
  assert.deepEqual(plan.texts, ["abcd", "x", "y"]);
  assert.deepEqual(plan.error, { status: 429, retryAfter: "3" });
  assert.equal(plan.tokens, 1 + Math.ceil("x [mock:error=429:retry-after=3]".length / 4) + Math.ceil("y [mock:error=500]".length / 4));
  assert.deepEqual(planVendorEmbeddings(["[mock:nope]"]).invalid, ["[mock:nope]"]);
  assert.deepEqual(vectorValues("a", 4), Array.from(deterministicVector("a", 4)));
});
