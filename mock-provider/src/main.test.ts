import { test } from "node:test";
import assert from "node:assert/strict";
import { mockPortFromEnv } from "./main";

test("SIDEGATE_MOCK_PORT defaults to 4010 and is validated", () => {
  assert.equal(mockPortFromEnv({}), 4010);
  assert.equal(mockPortFromEnv({ SIDEGATE_MOCK_PORT: "" }), 4010);
  assert.equal(mockPortFromEnv({ SIDEGATE_MOCK_PORT: "0" }), 0);
  assert.equal(mockPortFromEnv({ SIDEGATE_MOCK_PORT: "5000" }), 5000);
  assert.throws(() => mockPortFromEnv({ SIDEGATE_MOCK_PORT: "abc" }), /SIDEGATE_MOCK_PORT: expected a port number 0-65535, got "abc"/);
  assert.throws(() => mockPortFromEnv({ SIDEGATE_MOCK_PORT: "70000" }), /SIDEGATE_MOCK_PORT/);
});
