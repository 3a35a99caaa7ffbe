import { test } from "node:test";
import assert from "node:assert/strict";
import { bearerToken, createTokenMatcher } from "./token-match";

test("matches any configured token, nothing else", () => {
  const match = createTokenMatcher(["token-one-aaaaaaaaaa", "token-two-bbbbbbbbbb"]);
  assert.equal(match("token-one-aaaaaaaaaa"), true);
  assert.equal(match("token-two-bbbbbbbbbb"), true);
  assert.equal(match("token-one-aaaaaaaaa"), false);
  assert.equal(match(""), false);
  assert.equal(match(undefined), false);
});

test("bearer parsing", () => {
  assert.equal(bearerToken("Bearer abc"), "abc");
  assert.equal(bearerToken("bearer  abc "), "abc");
  assert.equal(bearerToken("Basic abc"), undefined);
  assert.equal(bearerToken("Bearer"), undefined);
  assert.equal(bearerToken(undefined), undefined);
});
