import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bearerToken } from "./authenticate";

describe("bearerToken", () => {
  it("extracts the token case-insensitively and rejects other schemes", () => {
    assert.equal(bearerToken("Bearer abc"), "abc");
    assert.equal(bearerToken("bearer  abc "), "abc");
    assert.equal(bearerToken("Basic abc"), "");
    assert.equal(bearerToken(""), "");
  });
});
