import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ERROR_CODES } from "../../../errors/codes";
import { ProxyError, proxyError } from "../../../errors/proxy-error";
import { ERROR_STATUS, type ErrorType } from "../wire";
import { MESSAGES_DIALECT, MESSAGES_ERROR_TYPES, errorTypeForStatus, fromOpenAiErrorBody } from "./errors";

const json = (b: Uint8Array): unknown => JSON.parse(Buffer.from(b).toString("utf8"));

describe("Messages error dialect", () => {
  it("maps every catalogue code to an Anthropic error type", () => {
    for (const code of ERROR_CODES) assert.ok(MESSAGES_ERROR_TYPES[code] in ERROR_STATUS, code);
  });

  it("spells errors as {type:error, error:{type, message}} and as an error event", () => {
    assert.deepEqual(json(MESSAGES_DIALECT.errorBody(proxyError("invalid_api_key"))), { type: "error", error: { type: "authentication_error", message: "Invalid or revoked API key." } });
    assert.deepEqual(json(MESSAGES_DIALECT.errorBody(new ProxyError("model_not_found", "no such model"))), { type: "error", error: { type: "not_found_error", message: "no such model" } });
    assert.equal(
      Buffer.from(MESSAGES_DIALECT.errorEvent(proxyError("upstream_timeout"))).toString(),
      `event: error\ndata: {"type":"error","error":{"type":"timeout_error","message":"The upstream provider did not answer in time."}}\n\n`,
    );
    assert.deepEqual(MESSAGES_DIALECT.requestIdHeaders, ["request-id"]);
  });

  it("types relayed errors by status and keeps the provider's message", () => {
    const expected: Array<[number, ErrorType]> = [[400, "invalid_request_error"], [401, "authentication_error"], [403, "permission_error"], [404, "not_found_error"], [413, "request_too_large"], [422, "invalid_request_error"], [429, "rate_limit_error"], [500, "api_error"], [502, "api_error"], [503, "overloaded_error"], [504, "timeout_error"]];
    for (const [status, type] of expected) assert.equal(errorTypeForStatus(status), type, String(status));
    const body = Buffer.from(JSON.stringify({ error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } }));
    assert.deepEqual(json(fromOpenAiErrorBody(429, body)), { type: "error", error: { type: "rate_limit_error", message: "Rate limit reached" } });
  });
});
