import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NativeInput, PreparedDeployment } from "../../types";
import { buildNativeRequest, mapNativeError, nativeHeaders, NativeStreamDecoder, parseNativeResponse } from "./native";
import { feed } from "./testing/sse-events";

const target: PreparedDeployment = {
  origin: "https://api.example",
  chatPath: "/v1/messages",
  headers: ["content-type", "application/json", "anthropic-version", "2023-06-01", "x-api-key", "sk-up"],
};

const body = {
  model: "claude",
  max_tokens: 100,
  system: [{ type: "text", text: "long prompt", cache_control: { type: "ephemeral", ttl: "1h" } }],
  thinking: { type: "enabled", budget_tokens: 2048 },
  metadata: { user_id: "u" },
  messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } }, { type: "text", text: "hi", cache_control: { type: "ephemeral" } }] }],
};

const input = (json: Record<string, unknown>, upstreamModel: string, clientHeaders: Record<string, string> = {}): NativeInput => ({
  body: Buffer.from(JSON.stringify(json)),
  json,
  upstreamModel,
  stream: false,
  clientIncludeUsage: false,
  now: 0,
  clientHeaders,
});

describe("buildNativeRequest", () => {
  it("forwards the client's bytes unchanged when the model needs no rewrite", () => {
    const i = input(body, "claude");
    const req = buildNativeRequest(target, i);
    assert.equal(req.body, i.body);
    assert.equal(req.headers, target.headers);
    assert.equal(req.path, "/v1/messages");
  });

  it("rewrites only model, keeping every other field (cache_control, thinking, metadata, images)", () => {
    const req = buildNativeRequest(target, input(body, "claude-sonnet-4-5"));
    assert.deepEqual(JSON.parse(Buffer.from(req.body).toString("utf8")), { ...body, model: "claude-sonnet-4-5" });
    assert.deepEqual(Object.keys(JSON.parse(Buffer.from(req.body).toString("utf8")) as object), Object.keys(body));
  });

  it("forwards the client's anthropic-version and merges anthropic-beta flags", () => {
    assert.deepEqual(nativeHeaders(target.headers, { "anthropic-version": "2024-01-01", "anthropic-beta": "b1, b2" }), [
      "content-type", "application/json", "anthropic-version", "2024-01-01", "x-api-key", "sk-up", "anthropic-beta", "b1, b2",
    ]);
    const withBeta = [...target.headers, "anthropic-beta", "b0,b1"];
    assert.deepEqual(nativeHeaders(withBeta, { "anthropic-beta": "b1,b2" }).slice(-2), ["anthropic-beta", "b0,b1,b2"]);
  });
});

describe("parseNativeResponse", () => {
  it("relays the body unchanged and reads usage including cache tokens", () => {
    const bytes = Buffer.from(JSON.stringify({ type: "message", id: "msg_1", content: [], stop_reason: "max_tokens", usage: { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 100, cache_creation_input_tokens: 50 } }));
    const parsed = parseNativeResponse(bytes);
    assert.ok(parsed.ok);
    assert.equal(parsed.body, bytes);
    assert.deepEqual(parsed.usage, { promptTokens: 160, completionTokens: 4, cachedTokens: 100, cacheWriteTokens: 50, reasoningTokens: 0 });
    assert.equal(parsed.finishReason, "length");
    assert.equal(parseNativeResponse(Buffer.from("{}")).ok, false);
  });
});

const ev = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const STREAM = Buffer.from(
  [
    ev("message_start", { message: { id: "msg_1", type: "message", role: "assistant", content: [], usage: { input_tokens: 12, output_tokens: 1, cache_read_input_tokens: 30, cache_creation_input_tokens: 7 } } }),
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ev("ping", {}),
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "ünïcödé ✓" } }),
    ev("content_block_stop", { index: 0 }),
    ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 9 } }),
    ev("message_stop", {}),
  ].join(""),
);

describe("NativeStreamDecoder", () => {
  it("passes every byte through and reads usage from message_start and message_delta, at every split", () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      let decoder: NativeStreamDecoder | null = null;
      const out = feed(() => (decoder = new NativeStreamDecoder()), STREAM, cut);
      assert.equal(out, STREAM.toString("utf8"), `split at ${cut}`);
      const d = decoder as unknown as NativeStreamDecoder;
      assert.deepEqual(d.usage, { promptTokens: 49, completionTokens: 9, cachedTokens: 30, cacheWriteTokens: 7, reasoningTokens: 0 });
      assert.equal(d.finishReason, "stop");
      assert.equal(d.started, true);
    }
  });

  it("appends an error event when the stream is cut before message_stop", () => {
    const cutShort = STREAM.subarray(0, STREAM.indexOf("event: message_delta"));
    const out = feed(() => new NativeStreamDecoder(), cutShort);
    assert.ok(out.startsWith(cutShort.toString("utf8")));
    assert.match(out.slice(cutShort.toString("utf8").length), /^event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
  });
});

describe("mapNativeError", () => {
  it("relays an Anthropic error as-is with its status, retry and rate-limit headers, request id renamed", () => {
    const bytes = Buffer.from(JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "slow" }, request_id: "req_u" }));
    const mapped = mapNativeError(429, { "retry-after": "7", "anthropic-ratelimit-requests-remaining": "0", "request-id": "req_u", "x-secret": "no" }, bytes);
    assert.equal(mapped.kind, "relay");
    if (mapped.kind !== "relay") return;
    assert.equal(mapped.status, 429);
    assert.equal(mapped.body, bytes);
    assert.deepEqual(mapped.headers, ["content-type", "application/json", "retry-after", "7", "anthropic-ratelimit-requests-remaining", "0", "x-upstream-request-id", "req_u"]);
  });

  it("describes a non-JSON error body by its status in Anthropic's shape", () => {
    const mapped = mapNativeError(529, {}, Buffer.from("<html>"));
    assert.ok(mapped.kind === "relay");
    assert.deepEqual(JSON.parse(Buffer.from(mapped.body).toString("utf8")), { type: "error", error: { type: "overloaded_error", message: "upstream answered HTTP 529" } });
  });
});
