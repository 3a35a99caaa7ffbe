import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration, rateLimitHeaders } from "./ratelimit";
import { parseChatResponse } from "./response";
import { mapError } from "./errors";

describe("anthropic response helpers", () => {
  it("fills created from the request time when given, and rejects non-message bodies", () => {
    const body = Buffer.from(JSON.stringify({ id: "msg_9", type: "message", model: "c", content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 0 } }));
    const parsed = parseChatResponse(body, Date.UTC(2026, 0, 1, 0, 0, 30, 900));
    assert.ok(parsed.ok);
    const json = JSON.parse(Buffer.from(parsed.body).toString()) as { created: number; choices: Array<{ message: { content: unknown }; finish_reason: string }> };
    assert.equal(json.created, 1767225630);
    assert.equal(json.choices[0]?.message.content, null);
    assert.equal(json.choices[0]?.finish_reason, "stop");
    assert.equal(parseChatResponse(Buffer.from("<html>")).ok, false);
    assert.equal(parseChatResponse(Buffer.from('{"type":"message"}')).ok, false);
  });
  it("formats reset durations the way OpenAI does", () => {
    assert.equal(formatDuration(12), "12ms");
    assert.equal(formatDuration(1500), "1.5s");
    assert.equal(formatDuration(360_000), "6m0s");
    assert.equal(formatDuration(3_723_250), "1h2m3.25s");
    assert.equal(formatDuration(-5), "0ms");
  });
  it("omits reset durations without a reference time and prefers an explicit now over the Date header", () => {
    const headers = { "anthropic-ratelimit-requests-reset": "2026-01-01T00:00:10Z", date: "Thu, 01 Jan 2026 00:00:00 GMT" };
    assert.deepEqual(rateLimitHeaders({ "anthropic-ratelimit-requests-reset": "2026-01-01T00:00:10Z" }, null), []);
    const mapped = mapError(429, headers, Buffer.from("{}"), Date.UTC(2026, 0, 1, 0, 0, 8));
    assert.ok(mapped.kind === "relay");
    assert.deepEqual(mapped.headers.slice(2), ["x-ratelimit-reset-requests", "2s"]);
  });
  it("maps unknown 5xx statuses and unknown error types by status", () => {
    const mapped = mapError(502, {}, Buffer.from("Bad Gateway"));
    assert.ok(mapped.kind === "relay");
    assert.equal(mapped.status, 502);
    assert.deepEqual(JSON.parse(Buffer.from(mapped.body).toString()), { error: { message: "anthropic: upstream answered HTTP 502", type: "server_error", param: null, code: "upstream_error" } });
    const billing = mapError(402, {}, Buffer.from(JSON.stringify({ type: "error", error: { type: "billing_error", message: "credit balance too low" } })));
    assert.ok(billing.kind === "relay" && billing.status === 402);
  });
});
