import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, ERROR_CODES, errorBody } from "./codes";

test("every code has a distinct meaning and a 4xx/5xx status", () => {
  for (const [code, entry] of Object.entries(ERROR_CODES)) {
    assert.ok(entry.status >= 400 && entry.status < 600, code);
    assert.ok(entry.message.length > 0, code);
  }
  assert.equal(ERROR_CODES.validation_failed.status, 400);
  assert.equal(ERROR_CODES.payload_too_large.status, 413);
  assert.equal(ERROR_CODES.unsupported_media_type.status, 415);
});

test("ApiError carries code, status and details, without a stack", () => {
  const err = new ApiError("validation_failed", "bad", [{ path: "name", message: "Required" }]);
  assert.equal(err.status, 400);
  assert.equal(err.stack?.split("\n").length, 1);
  assert.deepEqual(errorBody(err), {
    error: { code: "validation_failed", type: "invalid_request_error", message: "bad", details: [{ path: "name", message: "Required" }] },
  });
  assert.deepEqual(errorBody(new ApiError("not_found")), {
    error: { code: "not_found", type: "not_found_error", message: "No such resource." },
  });
});
