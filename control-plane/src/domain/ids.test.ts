import { test } from "node:test";
import assert from "node:assert/strict";
import { generateId, isValidId } from "./ids";

test("generated ids are valid, prefixed and distinct", () => {
  const a = generateId("team");
  const b = generateId("team");
  assert.match(a, /^team_[0-9a-z]{16}$/);
  assert.notEqual(a, b);
  assert.ok(isValidId(a));
});

test("id pattern", () => {
  assert.ok(isValidId("a"));
  assert.ok(isValidId("prod-eu.1_x"));
  assert.ok(!isValidId(""));
  assert.ok(!isValidId("-a"));
  assert.ok(!isValidId("Upper"));
  assert.ok(!isValidId("a".repeat(64)));
  assert.ok(isValidId("a".repeat(63)));
  assert.ok(!isValidId("a/b"));
});
