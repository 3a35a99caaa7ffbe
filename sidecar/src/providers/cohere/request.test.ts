import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isProxyError } from "../../errors/proxy-error";
import type { ChatInput } from "../types";
import { cohereAdapter } from "./adapter";
import { mapCohereError } from "./errors";
import { cohereBody } from "./request";
import { parseCohereResponse } from "./response";
import { COHERE_FIELD_RULES } from "./rules";
import { CohereStreamDecoder } from "./stream";

const input = (json: Record<string, unknown>): ChatInput => ({
  body: Buffer.from(JSON.stringify(json)),
  json,
  upstreamModel: "command-a",
  stream: json["stream"] === true,
  clientIncludeUsage: false,
  now: Date.UTC(2026, 0, 1),
});
const U = [{ role: "user", content: "hi" }];

function rejects(json: Record<string, unknown>, param: string): void {
  assert.throws(() => cohereBody(input(json)), (e: unknown) => isProxyError(e) && e.code === "invalid_request" && e.param === param, param);
}

describe("cohere request rules", () => {
  it("rejects what Cohere cannot honour, naming the param", () => {
    rejects({ messages: U, n: 2 }, "n");
    rejects({ messages: U, logit_bias: { "1": 5 } }, "logit_bias");
    rejects({ messages: U, documents: [{ text: "x" }] }, "documents");
    rejects({ messages: U, modalities: ["text", "audio"] }, "modalities");
    rejects({ messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "", format: "wav" } }] }] }, "messages[0].content[0]");
    rejects({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://x/y.png" } }] }] }, "messages[0].content[0].image_url");
    rejects({ messages: U, tools: [{ type: "custom", custom: { name: "x" } }] }, "tools[0]");
    rejects({ messages: [{ role: "function", name: "f", content: "x" }] }, "messages[0].role");
    rejects({ messages: U, tools: [{ type: "function", function: { name: "a" } }], tool_choice: { type: "function", function: { name: "b" } } }, "tool_choice");
  });
  it("documents a rule for every OpenAI request field it knows, and sends no unknown field", () => {
    for (const f of ["temperature", "top_p", "stop", "seed", "tools", "tool_choice", "response_format", "n", "logit_bias", "user", "stream_options"]) assert.ok(COHERE_FIELD_RULES[f], f);
    const body = cohereBody(input({ messages: U, some_future_field: 1, service_tier: "flex", logprobs: true, top_logprobs: 3 }));
    assert.deepEqual(body, { model: "command-a", messages: [{ role: "user", content: "hi" }], logprobs: true });
  });
  it("maps legacy functions/function_call, allowed_tools and reasoning_effort none", () => {
    const legacy = cohereBody(input({ messages: U, functions: [{ name: "f", parameters: { type: "object" } }], function_call: { name: "f" }, reasoning_effort: "none" }));
    assert.deepEqual(legacy["tools"], [{ type: "function", function: { name: "f", parameters: { type: "object" } } }]);
    assert.equal(legacy["tool_choice"], "REQUIRED");
    assert.deepEqual(legacy["thinking"], { type: "disabled" });
    const allowed = cohereBody(input({ messages: U, tools: [{ type: "function", function: { name: "a" } }, { type: "function", function: { name: "b" } }], tool_choice: { type: "allowed_tools", allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "b" } }] } } }));
    assert.deepEqual((allowed["tools"] as Array<{ function: { name: string } }>).map((t) => t.function.name), ["b"]);
    assert.equal(allowed["tool_choice"], undefined);
  });
  it("prepare: default base URL, /v2 suffix tolerated, key required when a credential is given", () => {
    const def = cohereAdapter.prepare({ id: "d", provider: "cohere", baseUrl: "", region: "", options: {} }, { api_key: "k" });
    assert.deepEqual([def.origin, def.chatPath], ["https://api.cohere.com", "/v2/chat"]);
    assert.equal(cohereAdapter.prepare({ id: "d", provider: "cohere", baseUrl: "https://x.example/v2/", region: "", options: {} }, null).chatPath, "/v2/chat");
    assert.throws(() => cohereAdapter.prepare({ id: "d", provider: "cohere", baseUrl: "", region: "", options: {} }, {}), /api_key/);
  });
});

describe("cohere responses", () => {
  it("sets created from the request time and the model when the caller passes them", () => {
    const body = Buffer.from(JSON.stringify({ id: "z", finish_reason: "COMPLETE", message: { role: "assistant", content: [{ type: "text", text: "a" }] } }));
    const parsed = parseCohereResponse(body, Date.UTC(2026, 0, 1));
    assert.ok(parsed.ok);
    const json = JSON.parse(Buffer.from(parsed.body).toString()) as { created: number; model: string; usage?: unknown };
    assert.deepEqual([json.created, json.model, json.usage], [1767225600, "cohere", undefined]);
    assert.equal(parsed.usage, null);
    const d = new CohereStreamDecoder({ clientIncludeUsage: false, now: 2000, model: "command-a" });
    const out = Buffer.from(d.push(Buffer.from('data: {"type":"message-start","id":"q"}\n\n')) ?? []).toString();
    assert.match(out, /"id":"chatcmpl-q","object":"chat.completion.chunk","created":2,"model":"command-a"/);
    assert.equal(parseCohereResponse(Buffer.from("<html>"), 0).ok, false);
  });
  it("maps 499 to the catalogue code", () => {
    const m = mapCohereError(499, {}, Buffer.from('{"message":"cancelled"}'));
    assert.deepEqual(m, { kind: "code", code: "client_closed_request", message: null });
  });
});
