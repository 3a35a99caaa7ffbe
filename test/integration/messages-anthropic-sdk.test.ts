import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { startAnthropicMock, type AnthropicMockHandle } from "../../mock-provider/src/anthropic/server";
import { planMessages, streamEvents } from "../../mock-provider/src/anthropic/messages";
import type { usageRecordJson } from "../../control-plane/src/http/presenters";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

const ANTHROPIC_KEY = "sk-ant-TEST-" + "fedcba9876543210";
/** Routed to the Anthropic mock (native pass-through). */
const CLAUDE = "claude-via-sidegate";
/** Routed to the OpenAI mock by the stack (translated). */
const OPENAI_MODEL = "mock-echo";
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/** A request record as the admin API returns it. */
type UsageRecord = ReturnType<typeof usageRecordJson>;

let stack: Stack;
let mock: AnthropicMockHandle;
let client: Anthropic;

async function record(requestId: string | null | undefined): Promise<UsageRecord> {
  assert.ok(requestId, "the response carries request-id");
  const { value } = await waitFor(async () => {
    const body = (await stack.admin.ok("GET", "/api/v1/usage/records?limit=200")) as { data: UsageRecord[] };
    return body.data.find((r) => r.request_id === requestId);
  }, 3000);
  return value;
}

function post(body: unknown, headers: Record<string, string> = { "x-api-key": stack.demoKey }): Promise<Response> {
  return fetch(`${stack.sidecar.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

before(async () => {
  stack = await startStack();
  mock = await startAnthropicMock({ port: 0 });
  await stack.admin.ok("PUT", "/api/v1/providers/anthropic-cred", { provider: "anthropic", secrets: { api_key: ANTHROPIC_KEY } });
  await stack.admin.ok("PUT", "/api/v1/deployments/claude-dep", { provider: "anthropic", base_url: mock.url, credential_id: "anthropic-cred", upstream_model: "claude-sonnet-4-5" });
  await stack.admin.ok("PUT", `/api/v1/routes/${CLAUDE}`, { targets: [{ deployment_id: "claude-dep" }] });
  client = new Anthropic({ apiKey: stack.demoKey, baseURL: stack.sidecar.url, maxRetries: 0 });
  await waitFor(async () => (await post({ model: CLAUDE, max_tokens: 5, messages: [{ role: "user", content: "ready?" }] })).status === 200, 3000);
});

after(async () => {
  await stack.close();
  await mock.close();
});

describe("Anthropic SDK → /v1/messages → Anthropic deployment (native pass-through)", () => {
  test("messages.create: the body reaches Anthropic unchanged but for model; cache tokens are accounted exactly", async () => {
    const params = {
      model: CLAUDE,
      max_tokens: 256,
      system: [{ type: "text" as const, text: "You are a careful assistant with a long shared preamble.", cache_control: { type: "ephemeral" as const } }],
      metadata: { user_id: "user-42" },
      temperature: 0.3,
      top_k: 7,
      messages: [
        {
          role: "user" as const,
          content: [
            { type: "image" as const, source: { type: "base64" as const, media_type: "image/png" as const, data: PNG } },
            { type: "document" as const, source: { type: "text" as const, media_type: "text/plain" as const, data: "notes" } },
            { type: "text" as const, text: "describe the picture", cache_control: { type: "ephemeral" as const, ttl: "1h" as const } },
          ],
        },
      ],
    };
    const response = await client.messages.create(params, { headers: { "anthropic-beta": "some-beta-2025-01-01", "anthropic-version": "2099-01-01" } }).withResponse();
    const message = response.data;
    const seen = mock.lastRequest();
    assert.ok(seen);
    assert.deepEqual(seen.body, { ...params, model: "claude-sonnet-4-5" }, "nothing lost: cache_control, metadata, top_k, images, documents");
    assert.equal(seen.headers["x-api-key"], ANTHROPIC_KEY, "the provider credential, not the virtual key");
    assert.equal(seen.headers["anthropic-version"], "2099-01-01", "the client's API version replaces the deployment default");
    assert.equal(seen.headers["anthropic-beta"], "some-beta-2025-01-01", "client beta flags forwarded");
    assert.ok(!JSON.stringify(seen.headers).includes(stack.demoKey));

    assert.match(message.id, /^msg_mock_\d+$/, "the provider's own message, not a translation");
    assert.equal(message.model, "claude-sonnet-4-5");
    assert.deepEqual(message.content, [{ type: "text", text: "echo: describe the picture" }]);
    assert.equal(message.stop_reason, "end_turn");
    assert.ok(message.usage.cache_creation_input_tokens! > 0, "first sight of the cached blocks writes the cache");
    assert.equal(response.response.headers.get("request-id"), response.response.headers.get("x-request-id"));

    const r1 = await record(response.response.headers.get("request-id"));
    assert.equal(r1.endpoint, "/v1/messages");
    assert.equal(r1.provider, "anthropic");
    assert.equal(r1.model, CLAUDE);
    assert.equal(r1.status, 200);
    assert.equal(r1.prompt_tokens, message.usage.input_tokens + message.usage.cache_creation_input_tokens! + message.usage.cache_read_input_tokens!);
    assert.equal(r1.completion_tokens, message.usage.output_tokens);
    assert.equal(r1.cache_write_tokens, message.usage.cache_creation_input_tokens);
    assert.equal(r1.cached_tokens, 0);

    const again = await client.messages.create(params).withResponse();
    assert.equal(again.data.usage.cache_read_input_tokens, message.usage.cache_creation_input_tokens, "the repeat reads the cache");
    const r2 = await record(again.response.headers.get("request-id"));
    assert.equal(r2.cached_tokens, again.data.usage.cache_read_input_tokens);
    assert.equal(r2.cache_write_tokens, 0);
    assert.equal(r2.prompt_tokens, r1.prompt_tokens);
  });

  test("a stream's bytes are the provider's events, byte for byte; usage comes from message_start + message_delta", async () => {
    const body = { model: CLAUDE, max_tokens: 100, stream: true, messages: [{ role: "user", content: "stream these words ✓ please" }] };
    const res = await post(body);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    const text = await res.text();
    const id = /"id":"(msg_mock_\d+)"/.exec(text)?.[1];
    assert.ok(id);
    const upstreamBody = { ...body, model: "claude-sonnet-4-5" };
    const plan = planMessages(upstreamBody, id, () => "unused");
    assert.ok(!("status" in plan));
    assert.equal(text, streamEvents(plan).join(""), "SSE passed through unchanged");
    const r = await record(res.headers.get("request-id"));
    assert.equal(r.stream, true);
    assert.equal(r.prompt_tokens, plan.inputTokens);
    assert.equal(r.completion_tokens, plan.outputTokens);
  });

  test("messages.stream reassembles text and the final message usage", async () => {
    const stream = client.messages.stream({ model: CLAUDE, max_tokens: 100, messages: [{ role: "user", content: "hello streaming world" }] });
    let text = "";
    stream.on("text", (t) => (text += t));
    const final = await stream.finalMessage();
    assert.equal(text, "echo: hello streaming world");
    assert.equal(final.stop_reason, "end_turn");
    assert.ok(final.usage.input_tokens > 0 && final.usage.output_tokens > 0);
  });

  test("tools: tool_use comes back natively, streaming and not", async () => {
    const tools = [{ name: "lookup", description: "find", input_schema: { type: "object" as const, properties: { q: { type: "string" } }, required: ["q"] } }];
    const msg = await client.messages.create({ model: CLAUDE, max_tokens: 100, tools, messages: [{ role: "user", content: "please call lookup" }] });
    assert.equal(msg.stop_reason, "tool_use");
    const use = msg.content.find((b) => b.type === "tool_use");
    assert.ok(use && use.type === "tool_use");
    assert.equal(use.name, "lookup");
    assert.deepEqual(use.input, { q: "mock" });
    const final = await client.messages.stream({ model: CLAUDE, max_tokens: 100, tools, tool_choice: { type: "any" }, messages: [{ role: "user", content: "please call lookup" }] }).finalMessage();
    const streamed = final.content.find((b) => b.type === "tool_use");
    assert.ok(streamed && streamed.type === "tool_use");
    assert.deepEqual(streamed.input, { q: "mock" });
  });

  test("an upstream 429 is relayed as rate_limit_error with retry-after", async () => {
    const err = await client.messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: "user", content: "[mock:error=429:retry-after=4] x" }] }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.RateLimitError, String(err));
    assert.equal(err.status, 429);
    assert.equal(err.headers?.get("retry-after"), "4");
    assert.equal((err.error as { error?: { type?: string } }).error?.type, "rate_limit_error");
    assert.ok(err.requestID, "request-id header");
  });

  test("Authorization: Bearer works as well as x-api-key", async () => {
    const res = await post({ model: CLAUDE, max_tokens: 10, messages: [{ role: "user", content: "bearer" }] }, { authorization: `Bearer ${stack.demoKey}` });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { type: string }).type, "message");
  });
});

describe("Anthropic SDK → /v1/messages → OpenAI deployment (translated)", () => {
  test("messages.create with system, image and tool history is translated both ways; usage recorded", async () => {
    const response = await client.messages
      .create({
        model: OPENAI_MODEL,
        max_tokens: 200,
        system: "be brief",
        stop_sequences: ["STOP"],
        messages: [
          { role: "user", content: "what is the weather?" },
          { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } }] },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_1", content: "sunny" },
              { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
              { type: "text", text: "thanks, now say hi" },
            ],
          },
        ],
      })
      .withResponse();
    const message = response.data;
    assert.equal(message.type, "message");
    assert.equal(message.role, "assistant");
    assert.match(message.id, /^msg_/);
    assert.deepEqual(message.content, [{ type: "text", text: "echo: thanks, now say hi" }]);
    assert.equal(message.stop_reason, "end_turn");
    const upstream = stack.mock.stats().lastRequest;
    assert.ok(upstream);
    assert.equal(upstream.path, "/v1/chat/completions");
    const sent = upstream.body as { messages: Array<Record<string, unknown>>; max_completion_tokens: number; stop: string[] };
    assert.deepEqual(sent.messages.map((m) => m["role"]), ["system", "user", "assistant", "tool", "user"]);
    assert.equal(sent.max_completion_tokens, 200);
    assert.deepEqual(sent.stop, ["STOP"]);
    assert.deepEqual((sent.messages[4]?.["content"] as unknown[])[0], { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } });
    const r = await record(response.response.headers.get("request-id"));
    assert.equal(r.provider, "openai");
    assert.equal(r.endpoint, "/v1/messages");
    assert.equal(r.prompt_tokens, message.usage.input_tokens);
    assert.equal(r.completion_tokens, message.usage.output_tokens);
  });

  // checklist #51 over real sockets: the SDK's stream parser accepts the rebuilt event order.
  test("messages.stream is rebuilt from chat chunks: text, stop reason, usage equal to what is accounted", async () => {
    const stream = client.messages.stream({ model: OPENAI_MODEL, max_tokens: 100, messages: [{ role: "user", content: "stream these words" }] });
    const events: string[] = [];
    let text = "";
    stream.on("streamEvent", (e) => events.push(e.type));
    stream.on("text", (t) => (text += t));
    const final = await stream.finalMessage();
    assert.equal(text, "echo: stream these words");
    assert.equal(events[0], "message_start");
    assert.deepEqual(events.slice(-2), ["message_delta", "message_stop"]);
    assert.equal(final.stop_reason, "end_turn");
    assert.ok(final.usage.input_tokens > 0 && final.usage.output_tokens > 0);
    const requestId = (await stream.withResponse()).response.headers.get("request-id");
    const r = await record(requestId);
    assert.equal(r.stream, true);
    assert.equal(r.prompt_tokens, final.usage.input_tokens);
    assert.equal(r.completion_tokens, final.usage.output_tokens);
  });

  test("tools: functions come back as tool_use blocks, streaming and not", async () => {
    const tools = [{ name: "lookup", input_schema: { type: "object" as const, properties: { q: { type: "string" } }, required: ["q"] } }];
    const msg = await client.messages.create({ model: OPENAI_MODEL, max_tokens: 100, tools, tool_choice: { type: "tool", name: "lookup" }, messages: [{ role: "user", content: "please call lookup" }] });
    assert.equal(msg.stop_reason, "tool_use");
    const use = msg.content.find((b) => b.type === "tool_use");
    assert.ok(use && use.type === "tool_use");
    assert.equal(use.name, "lookup");
    assert.deepEqual(use.input, { q: "mock" });
    const sent = stack.mock.stats().lastRequest?.body as { tools: unknown; tool_choice: unknown };
    assert.deepEqual(sent.tools, [{ type: "function", function: { name: "lookup", parameters: tools[0]?.input_schema } }]);
    assert.deepEqual(sent.tool_choice, { type: "function", function: { name: "lookup" } });

    const final = await client.messages.stream({ model: OPENAI_MODEL, max_tokens: 100, tools, messages: [{ role: "user", content: "please call lookup" }] }).finalMessage();
    assert.equal(final.stop_reason, "tool_use");
    const streamed = final.content.find((b) => b.type === "tool_use");
    assert.ok(streamed && streamed.type === "tool_use");
    assert.equal(streamed.name, "lookup");
    assert.deepEqual(streamed.input, { q: "mock" });
  });

  test("an upstream 429 arrives as rate_limit_error with retry-after", async () => {
    const err = await client.messages.create({ model: OPENAI_MODEL, max_tokens: 10, messages: [{ role: "user", content: "[mock:error=429:retry-after=3] x" }] }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.RateLimitError, String(err));
    assert.equal(err.headers?.get("retry-after"), "3");
    assert.equal((err.error as { type?: string; error?: { type?: string } }).type, "error");
    assert.equal((err.error as { error?: { type?: string } }).error?.type, "rate_limit_error");
  });
});

describe("/v1/messages errors in Anthropic's shape", () => {
  const errorOf = async (res: Response): Promise<{ type: string; error: { type: string; message: string } }> =>
    (await res.json()) as { type: string; error: { type: string; message: string } };

  test("a bad key is authentication_error 401 (SDK: AuthenticationError)", async () => {
    const bad = new Anthropic({ apiKey: "sk-sg-not-a-key", baseURL: stack.sidecar.url, maxRetries: 0 });
    const err = await bad.messages.create({ model: CLAUDE, max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.AuthenticationError, String(err));
    assert.equal(err.status, 401);
    assert.deepEqual(err.error, { type: "error", error: { type: "authentication_error", message: "Invalid or revoked API key." } });
    assert.ok(err.requestID);
    const missing = await post({ model: CLAUDE, max_tokens: 10, messages: [{ role: "user", content: "x" }] }, {});
    assert.equal(missing.status, 401);
    assert.equal((await errorOf(missing)).error.type, "authentication_error");
  });

  test("an unknown model is not_found_error 404; a model the key may not use is permission_error 403", async () => {
    const err = await client.messages.create({ model: "no-such-model", max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.NotFoundError, String(err));
    assert.equal((err.error as { error?: { type?: string } }).error?.type, "not_found_error");
    const limited = (await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo", allowed_models: [OPENAI_MODEL] })) as { key: string };
    await waitFor(async () => (await post({ model: OPENAI_MODEL, max_tokens: 5, messages: [{ role: "user", content: "x" }] }, { "x-api-key": limited.key })).status === 200, 3000);
    const denied = await post({ model: CLAUDE, max_tokens: 5, messages: [{ role: "user", content: "x" }] }, { "x-api-key": limited.key });
    assert.equal(denied.status, 403);
    assert.equal((await errorOf(denied)).error.type, "permission_error");
  });

  test("a malformed body is invalid_request_error 400", async () => {
    const notJson = await post("{not json");
    assert.equal(notJson.status, 400);
    assert.deepEqual(await errorOf(notJson), { type: "error", error: { type: "invalid_request_error", message: "The request body is not valid JSON." } });
    assert.ok(notJson.headers.get("request-id"));
    const noMax = await post({ model: CLAUDE, messages: [{ role: "user", content: "x" }] });
    assert.equal(noMax.status, 400);
    assert.match((await errorOf(noMax)).error.message, /max_tokens/);
    const err = await client.messages.create({ model: OPENAI_MODEL, max_tokens: 10, messages: [{ role: "user", content: [{ type: "document", source: { type: "url", url: "https://example.com/a.pdf" } }] }] }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.BadRequestError, String(err));
    assert.equal((err.error as { error?: { type?: string } }).error?.type, "invalid_request_error");
  });

  test("a failure after the stream started is an event: error, and the SDK raises it", async () => {
    const body = { model: OPENAI_MODEL, max_tokens: 100, stream: true, messages: [{ role: "user" as const, content: "[mock:close-mid-stream=2] one two three four five" }] };
    const res = await post(body);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(text.startsWith("event: message_start\n"), text);
    assert.match(text, /event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"[^"]+"\}\}\n\n$/);
    assert.ok(!text.includes("message_stop"));
    const stream = client.messages.stream({ ...body, stream: undefined });
    await assert.rejects(stream.finalMessage(), (err: unknown) => err instanceof Anthropic.APIError);
  });

  test("wrong method is answered in the same shape", async () => {
    const res = await fetch(`${stack.sidecar.url}/v1/messages`, { headers: { "x-api-key": stack.demoKey } });
    assert.equal(res.status, 405);
    assert.equal((await errorOf(res)).type, "error");
  });
});
