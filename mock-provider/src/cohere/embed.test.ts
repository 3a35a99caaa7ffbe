import assert from "node:assert/strict";
import { test } from "node:test";
import { checkEmbed, COHERE_MAX_TEXTS } from "./embed";

test("Cohere embed validation: texts ≤96, input_type required, float type only", () => {
  const ok = { texts: ["a"], input_type: "search_document", embedding_types: ["float"] };
  assert.equal(checkEmbed(ok), null);
  assert.match(checkEmbed({ ...ok, texts: new Array(COHERE_MAX_TEXTS + 1).fill("a") }) ?? "", /too many texts/);
  assert.match(checkEmbed({ texts: ["a"] }) ?? "", /input_type is required/);
  assert.match(checkEmbed({ ...ok, embedding_types: ["int8"] }) ?? "", /float/);
  assert.match(checkEmbed({ ...ok, texts: [] }) ?? "", /texts/);
});
