import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createBedrockAdapter } from "../../../sidecar/src/providers/bedrock/adapter";
import type { PreparedDeployment, UpstreamRequest } from "../../../sidecar/src/providers/types";
import { MOCK_BEDROCK_API_KEY, MOCK_BEDROCK_CREDENTIALS, startBedrockMock, type BedrockMockHandle } from "./server";

const adapter = createBedrockAdapter();
const MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
const SIGV4 = { access_key_id: MOCK_BEDROCK_CREDENTIALS.accessKeyId, secret_access_key: MOCK_BEDROCK_CREDENTIALS.secretAccessKey };
const WEATHER = { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };

let mock: BedrockMockHandle;
let temp: BedrockMockHandle;
before(async () => {
  mock = await startBedrockMock({ port: 0 });
  temp = await startBedrockMock({ credentials: { ...MOCK_BEDROCK_CREDENTIALS, sessionToken: "mock-session-token" }, region: "eu-west-1" });
});
after(async () => {
  await mock.close();
  await temp.close();
});

function target(url: string, secrets: Record<string, string>, region = "us-east-1"): PreparedDeployment {
  return adapter.prepare({ id: "mock", provider: "bedrock", baseUrl: url, region, options: {} }, secrets);
}

function build(t: PreparedDeployment, json: Record<string, unknown>, now = Date.now()): UpstreamRequest {
  const full: Record<string, unknown> = { model: MODEL, ...json };
  return adapter.buildChatRequest(t, { body: Buffer.from(JSON.stringify(full)), json: full, upstreamModel: MODEL, stream: full["stream"] === true, clientIncludeUsage: false, now });
}

async function send(t: PreparedDeployment, req: UpstreamRequest, body: Uint8Array = req.body): Promise<Response> {
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < req.headers.length; i += 2) headers.push([req.headers[i] as string, req.headers[i + 1] as string]);
  return fetch(`${t.origin}${req.path}`, { method: req.method, headers, body });
}

/** A complete stream ends with [DONE]; a failed one (`failed`) ends with its error event and has no [DONE]. */
async function decodeStream(res: Response, includeUsage = false, failed = false) {
  const decoder = adapter.createStreamDecoder({ clientIncludeUsage: includeUsage });
  const out: string[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const piece = decoder.push(value);
    if (piece !== null) out.push(Buffer.from(piece).toString());
  }
  const tail = decoder.end();
  if (tail !== null) out.push(Buffer.from(tail).toString());
  const events = out.join("").split("\n\n").filter((e) => e.startsWith("data: "));
  if (failed) assert.ok(!events.includes("data: [DONE]"), "no [DONE] after a mid-stream error");
  else assert.equal(events.at(-1), "data: [DONE]");
  return { chunks: (failed ? events : events.slice(0, -1)).map((e) => JSON.parse(e.slice(6)) as Record<string, any>), decoder };
}

const user = (text: string) => [{ role: "user", content: text }];

describe("bedrock mock", () => {
  it("Converse with SigV4: verified signature, echo answer, mock usage formula, request recorded", async () => {
    const t = target(mock.url, SIGV4);
    const req = build(t, { messages: [{ role: "system", content: "Be brief." }, ...user("hello big world")] });
    const res = await send(t, req);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    const parsed = adapter.parseChatResponse(Buffer.from(await res.arrayBuffer()));
    assert.ok(parsed.ok);
    const body = JSON.parse(Buffer.from(parsed.body).toString()) as Record<string, any>;
    assert.equal(body["choices"][0].message.content, "echo: hello big world");
    assert.equal(parsed.finishReason, "stop");
    // system "Be brief." (9 bytes → 3) + 3, user "hello big world" (15 bytes → 4) + 3
    assert.deepEqual(parsed.usage, { promptTokens: 13, completionTokens: 4, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    const last = mock.lastRequest();
    assert.equal(last?.path, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
    assert.match(last?.headers["authorization"] ?? "", /^AWS4-HMAC-SHA256 Credential=AKIDMOCKBEDROCK\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    assert.deepEqual((last?.body as Record<string, unknown>)["system"], [{ text: "Be brief." }]);
  });

  it("ConverseStream with temporary credentials: real event-stream framing decoded by the adapter", async () => {
    const t = target(temp.url, { ...SIGV4, session_token: "mock-session-token" }, "eu-west-1");
    const res = await send(t, build(t, { stream: true, messages: user("one two three") }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/vnd.amazon.eventstream");
    const { chunks, decoder } = await decodeStream(res, true);
    const text = chunks.map((c) => c["choices"]?.[0]?.delta?.content ?? "").join("");
    assert.equal(text, "echo: one two three");
    assert.equal(chunks.at(-1)?.["usage"]?.completion_tokens, 4);
    assert.equal(decoder.finishReason, "stop");
    assert.equal(temp.lastRequest()?.headers["x-amz-security-token"], "mock-session-token");
  });

  it("tool call on `call <name>` (non-stream and stream, stable indices)", async () => {
    const t = target(mock.url, SIGV4);
    const res = await send(t, build(t, { tools: [WEATHER], messages: user("please call get_weather now") }));
    const parsed = adapter.parseChatResponse(Buffer.from(await res.arrayBuffer()));
    assert.ok(parsed.ok);
    const call = (JSON.parse(Buffer.from(parsed.body).toString()) as Record<string, any>)["choices"][0].message.tool_calls[0];
    assert.match(call.id, /^tooluse_mock_/);
    assert.deepEqual([call.function.name, JSON.parse(call.function.arguments)], ["get_weather", { city: "mock" }]);
    assert.equal(parsed.finishReason, "tool_calls");
    const streamed = await decodeStream(await send(t, build(t, { stream: true, tools: [WEATHER], messages: user("call get_weather") })));
    const deltas = streamed.chunks.flatMap((c) => c["choices"]?.[0]?.delta?.tool_calls ?? []);
    assert.equal(deltas[0].function.name, "get_weather");
    assert.ok(deltas.every((d: { index: number }) => d.index === 0));
    assert.equal(deltas.map((d: { function: { arguments: string } }) => d.function.arguments).join(""), '{"city":"mock"}');
    assert.equal(streamed.decoder.finishReason, "tool_calls");
  });

  it("a wrong secret, a tampered body or a skewed clock → 403 InvalidSignatureException (→ 401 via the adapter)", async () => {
    const wrong = target(mock.url, { ...SIGV4, secret_access_key: "not-the-secret" });
    const res = await send(wrong, build(wrong, { messages: user("hi") }));
    assert.equal(res.status, 403);
    assert.match(res.headers.get("x-amzn-errortype") ?? "", /^InvalidSignatureException:/);
    const mapped = adapter.mapError(res.status, Object.fromEntries(res.headers), Buffer.from(await res.arrayBuffer()));
    assert.equal(mapped.kind === "relay" ? mapped.status : 0, 401);
    const t = target(mock.url, SIGV4);
    const req = build(t, { messages: user("hi") });
    assert.equal((await send(t, req, Buffer.from(JSON.stringify({ messages: [{ role: "user", content: [{ text: "evil" }] }] })))).status, 403);
    const skewed = await send(t, build(t, { messages: user("hi") }, Date.now() - 10 * 60 * 1000));
    assert.equal(skewed.status, 403);
    assert.match(((await skewed.json()) as { message: string }).message, /Signature expired/);
    const unknown = target(mock.url, { ...SIGV4, access_key_id: "AKIDOTHER" });
    const res2 = await send(unknown, build(unknown, { messages: user("hi") }));
    assert.match(res2.headers.get("x-amzn-errortype") ?? "", /^UnrecognizedClientException:/);
  });

  it("Bedrock API key as bearer; a wrong key is refused", async () => {
    const ok = target(mock.url, { api_key: MOCK_BEDROCK_API_KEY });
    assert.equal((await send(ok, build(ok, { messages: user("hi") }))).status, 200);
    const bad = target(mock.url, { api_key: "nope" });
    assert.equal((await send(bad, build(bad, { messages: user("hi") }))).status, 403);
  });

  it("[mock:error=429] → 429 ThrottlingException without retry-after; the adapter synthesises one", async () => {
    const t = target(mock.url, SIGV4);
    const res = await send(t, build(t, { stream: true, messages: user("x [mock:error=429]") }));
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), null);
    assert.match(res.headers.get("x-amzn-errortype") ?? "", /^ThrottlingException:/);
    const mapped = adapter.mapError(res.status, Object.fromEntries(res.headers), Buffer.from(await res.arrayBuffer()));
    assert.ok(mapped.kind === "relay");
    assert.equal(mapped.status, 429);
    assert.deepEqual(mapped.headers.slice(2, 4), ["retry-after", "1"]);
  });

  it("[bedrock:stream-exception=…] sends an exception message mid-stream → OpenAI error event, then the stream ends", async () => {
    const t = target(mock.url, SIGV4);
    const { chunks } = await decodeStream(await send(t, build(t, { stream: true, messages: user("a b c [bedrock:stream-exception=throttlingException]") })), false, true);
    assert.equal(chunks.at(-1)?.["error"]?.type, "rate_limit_error");
    assert.equal(chunks[1]?.["choices"]?.[0]?.delta?.content, "echo:");
  });

  it("maxTokens truncates with stopReason max_tokens; a conversation starting with assistant is a ValidationException", async () => {
    const t = target(mock.url, SIGV4);
    const parsed = adapter.parseChatResponse(Buffer.from(await (await send(t, build(t, { max_tokens: 2, messages: user("a b c d") }))).arrayBuffer()));
    assert.ok(parsed.ok);
    assert.equal(parsed.finishReason, "length");
    const res = await send(t, build(t, { messages: [{ role: "assistant", content: "hi" }, ...user("x")] }));
    assert.equal(res.status, 400);
    assert.match(res.headers.get("x-amzn-errortype") ?? "", /^ValidationException:/);
  });

  it("unknown paths → 404", async () => {
    const res = await fetch(`${mock.url}/model/x/invoke-with-response-stream`, { method: "POST", body: "{}" });
    assert.equal(res.status, 404);
  });
});
