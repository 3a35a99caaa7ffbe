import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_RETRY, isRetryable, parseRetryAfterMs, sameDeploymentDelayMs } from "./retry-policy";

describe("retry policy", () => {
  it("retries connect errors, timeouts and the configured statuses only", () => {
    assert.equal(isRetryable({ kind: "connect", status: 0, retryAfterMs: null }, DEFAULT_RETRY), true);
    assert.equal(isRetryable({ kind: "timeout", status: 0, retryAfterMs: null }, DEFAULT_RETRY), true);
    for (const s of [429, 500, 502, 503, 504]) assert.equal(isRetryable({ kind: "status", status: s, retryAfterMs: null }, DEFAULT_RETRY), true, String(s));
    for (const s of [400, 401, 403, 404, 422, 501]) assert.equal(isRetryable({ kind: "status", status: s, retryAfterMs: null }, DEFAULT_RETRY), false, String(s));
    const noConnect = { ...DEFAULT_RETRY, retryOnConnect: false };
    assert.equal(isRetryable({ kind: "connect", status: 0, retryAfterMs: null }, noConnect), false);
  });

  it("backs off exponentially with jitter inside [ceiling/2, ceiling]", () => {
    const f = { kind: "status" as const, status: 503, retryAfterMs: null };
    assert.equal(sameDeploymentDelayMs(f, 1, DEFAULT_RETRY, () => 0), 50);
    assert.equal(sameDeploymentDelayMs(f, 1, DEFAULT_RETRY, () => 1), 100);
    assert.equal(sameDeploymentDelayMs(f, 3, DEFAULT_RETRY, () => 1), 400);
    assert.equal(sameDeploymentDelayMs(f, 20, DEFAULT_RETRY, () => 1), 2_000);
  });

  it("honours retry-after, and gives up when it is longer than the cap", () => {
    assert.equal(sameDeploymentDelayMs({ kind: "status", status: 429, retryAfterMs: 1_500 }, 1, DEFAULT_RETRY, () => 0), 1_500);
    assert.equal(sameDeploymentDelayMs({ kind: "status", status: 429, retryAfterMs: 60_000 }, 1, DEFAULT_RETRY, () => 0), null);
  });

  it("parses retry-after seconds, HTTP dates and retry-after-ms", () => {
    assert.equal(parseRetryAfterMs("2", undefined, 0), 2_000);
    assert.equal(parseRetryAfterMs("0.5", undefined, 0), 500);
    assert.equal(parseRetryAfterMs(undefined, "250", 0), 250);
    assert.equal(parseRetryAfterMs("9", "250", 0), 250, "the millisecond header is more precise");
    const now = Date.parse("2026-01-01T00:00:00Z");
    assert.equal(parseRetryAfterMs("Thu, 01 Jan 2026 00:00:03 GMT", undefined, now), 3_000);
    assert.equal(parseRetryAfterMs("soon", undefined, now), null);
    assert.equal(parseRetryAfterMs(undefined, undefined, now), null);
  });
});
