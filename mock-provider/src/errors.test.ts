import { test } from "node:test";
import assert from "node:assert/strict";
import { errorBody, injectedError, invalidJson, unknownUrl } from "./errors";

test("429 carries rate-limit type, code and retry headers", () => {
  const e = injectedError(429, "2");
  assert.equal(e.status, 429);
  assert.equal(e.type, "rate_limit_error");
  assert.equal(e.code, "rate_limit_exceeded");
  assert.equal(e.headers["retry-after"], "2");
  assert.equal(e.headers["retry-after-ms"], "2000");
});

test("5xx map to server_error; unknown statuses get a generic kind", () => {
  assert.equal(injectedError(500).type, "server_error");
  assert.deepEqual(injectedError(500).headers, {});
  assert.equal(injectedError(599).type, "server_error");
  assert.equal(injectedError(418).type, "invalid_request_error");
});

test("errorBody is the OpenAI envelope", () => {
  assert.deepEqual(JSON.parse(errorBody(unknownUrl("GET", "/nope"))), {
    error: { message: "Invalid URL (GET /nope)", type: "invalid_request_error", param: null, code: "unknown_url" },
  });
  assert.equal(JSON.parse(errorBody(invalidJson())).error.code, "invalid_json");
});
