import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ERROR_CATALOGUE, ERROR_CODES } from "./codes";
import { ProxyError, encodeErrorBody, proxyError } from "./proxy-error";

// OpenAI's own types, including the two it uses for 429s ("requests"/"tokens" and "insufficient_quota").
const TYPES = new Set(["invalid_request_error", "authentication_error", "permission_error", "requests", "insufficient_quota", "server_error"]);

describe("error catalogue", () => {
  it("contains the required codes with their statuses", () => {
    const expected: Record<string, number> = {
      invalid_json: 400, invalid_request: 400, unsupported_media_type: 415, missing_api_key: 401, invalid_api_key: 401,
      model_not_allowed: 403, model_not_found: 404, not_found: 404, method_not_allowed: 405, request_too_large: 413,
      rate_limit_exceeded: 429, insufficient_quota: 429, not_ready: 503, upstream_unreachable: 502, upstream_invalid_response: 502, upstream_timeout: 504, internal_error: 500,
    };
    for (const [code, status] of Object.entries(expected)) {
      assert.equal(ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE]?.status, status, code);
    }
    assert.equal(ERROR_CATALOGUE.model_not_allowed.type, "permission_error");
  });
  it("maps every code to one OpenAI type and a message", () => {
    for (const code of ERROR_CODES) {
      const spec = ERROR_CATALOGUE[code];
      assert.ok(TYPES.has(spec.type), code);
      assert.ok(spec.message.length > 0, code);
      assert.ok(spec.status >= 400 && spec.status < 600, code);
    }
  });
  it("encodes the OpenAI error shape; default bodies are precomputed and shared", () => {
    const body = JSON.parse(encodeErrorBody(proxyError("not_found")).toString()) as unknown;
    assert.deepEqual(body, { error: { message: ERROR_CATALOGUE.not_found.message, type: "invalid_request_error", param: null, code: "not_found" } });
    assert.equal(encodeErrorBody(proxyError("not_found")), encodeErrorBody(new ProxyError("not_found")));
    const withParam = JSON.parse(encodeErrorBody(new ProxyError("invalid_request", "bad", "model")).toString()) as { error: { param: string } };
    assert.equal(withParam.error.param, "model");
  });
  it("builds errors without a stack trace", () => {
    const err = new ProxyError("invalid_api_key");
    assert.equal(err.stack?.split("\n").length, 1);
    assert.ok(Error.stackTraceLimit > 0, "stackTraceLimit restored");
  });
});
