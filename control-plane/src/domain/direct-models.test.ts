import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findDirectModelOverlap } from "./direct-models";

const dep = (id: string, provider: string, directModels: string[]) => ({ id, provider, directModels });

describe("findDirectModelOverlap", () => {
  const existing = [dep("a", "openai", ["*"]), dep("b", "openai", ["gpt-4o"]), dep("c", "anthropic", ["claude-x"])];

  it("refuses an entry another deployment of the same provider lists", () => {
    assert.deepEqual(findDirectModelOverlap(dep("n", "openai", ["gpt-4o-mini", "gpt-4o"]), existing), { entry: "gpt-4o", deploymentId: "b" });
    assert.deepEqual(findDirectModelOverlap(dep("n", "openai", ["*"]), existing), { entry: "*", deploymentId: "a" });
  });

  it("allows an exact entry next to another deployment's wildcard, other providers' entries and the deployment's own", () => {
    assert.equal(findDirectModelOverlap(dep("n", "openai", ["o3"]), existing), null);
    assert.equal(findDirectModelOverlap(dep("n", "gemini", ["*", "claude-x"]), existing), null);
    assert.equal(findDirectModelOverlap(dep("b", "openai", ["gpt-4o", "o3"]), existing), null);
    assert.equal(findDirectModelOverlap(dep("n", "openai", []), existing), null);
  });
});
