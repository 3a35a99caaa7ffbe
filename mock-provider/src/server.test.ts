import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { parseSse } from "./chunks";
import { base64ToFloat32 } from "./embeddings";
import { startMockProvider, type MockProviderHandle } from "./server";

interface ChunkLike {
  choices: Array<{ index: number; delta: { content?: string | null; tool_calls?: Array<{ index: number; function?: { arguments?: string } }> }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}
interface CompletionLike {
  id: string;
  object: string;
  model: string;
  choices: Array<{ message: { content: string | null; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> }; finish_reason: string }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}
interface ErrorLike {
  error: { message: string; type: string; param: string | null; code: string | null };
}

let mock: MockProviderHandle;
before(async () => {
  mock = await startMockProvider({ port: 0 });
});
after(async () => {
  await mock.close();
});
beforeEach(() => mock.reset());

function chat(body: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${mock.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "mock-echo", ...body }),
    ...(signal ? { signal } : {}),
  });
}

const user = (content: string) => [{ role: "user", content }];

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), `timed out waiting for ${what}`);
}

test("handle exposes port, url and baseUrl", () => {
  assert.ok(mock.port > 0);
  assert.equal(mock.url, `http://127.0.0.1:${mock.port}`);
  assert.equal(mock.baseUrl, `${mock.url}/v1`);
});

test("non-stream echo with usage and recorded request", async () => {
  const res = await chat({ model: "gpt-x", messages: user("hello big world") }, { authorization: "Bearer up-key" });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const body = (await res.json()) as CompletionLike;
  assert.equal(body.object, "chat.completion");
  assert.equal(body.id, "chatcmpl-mock-1");
  assert.equal(body.model, "gpt-x");
  assert.equal(body.choices[0]?.message.content, "echo: hello big world");
  assert.deepEqual(body.usage, {
    prompt_tokens: 7,
    completion_tokens: 4,
    total_tokens: 11,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  });
  const s = mock.stats();
  assert.equal(s.requests.byPath["/v1/chat/completions"], 1);
  assert.deepEqual(s.usage, { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 });
  assert.equal(s.lastRequest?.headers.authorization, "Bearer up-key");
  assert.deepEqual((s.lastRequest?.body as { model: string }).model, "gpt-x");
});

test("stream reconstructs the non-stream content; usage chunk only with include_usage", async () => {
  const messages = [{ role: "system", content: "sys" }, ...user([" multi  word\n prompt", "[mock:chunk-delay=1]"].join(" "))];
  const plain = (await (await chat({ messages })).json()) as CompletionLike;

  const res = await chat({ messages, stream: true });
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const text = await res.text();
  assert.ok(text.endsWith("data: [DONE]\n\n"));
  const { events, done } = parseSse(text);
  assert.ok(done);
  const chunks = events as ChunkLike[];
  assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? "").join(""), plain.choices[0]?.message.content);
  assert.ok(chunks.every((c) => !("usage" in c)));

  const withUsage = parseSse(await (await chat({ messages, stream: true, stream_options: { include_usage: true } })).text());
  const uchunks = withUsage.events as ChunkLike[];
  const last = uchunks.at(-1);
  assert.deepEqual(last?.choices, []);
  assert.deepEqual(last?.usage, plain.usage);
  assert.ok(uchunks.slice(0, -1).every((c) => c.usage === null));

  const s = mock.stats();
  assert.equal(s.streams.started, 2);
  assert.equal(s.streams.completed, 2);
  // non-stream usage + include_usage stream usage; the stream without include_usage reported none
  assert.equal(s.usage.prompt_tokens, plain.usage.prompt_tokens * 2);
  assert.deepEqual((s.lastRequest?.body as { stream_options: unknown }).stream_options, { include_usage: true });
});

test("max_tokens truncates with finish_reason length", async () => {
  const body = (await (await chat({ messages: user("a b c d"), max_tokens: 2 })).json()) as CompletionLike;
  assert.equal(body.choices[0]?.message.content, "echo: a");
  assert.equal(body.choices[0]?.finish_reason, "length");
});

test("tool calls, non-stream and stream", async () => {
  const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } } } } }];
  const body = (await (await chat({ messages: user("please call get_weather"), tools })).json()) as CompletionLike;
  assert.equal(body.choices[0]?.finish_reason, "tool_calls");
  assert.equal(body.choices[0]?.message.content, null);
  assert.equal(body.choices[0]?.message.tool_calls?.[0]?.id, "call_mock_1");
  assert.equal(body.choices[0]?.message.tool_calls?.[0]?.function.arguments, '{"city":"mock","days":1}');

  const streamed = parseSse(await (await chat({ messages: user("hi"), tools, tool_choice: "required", stream: true })).text());
  const chunks = streamed.events as ChunkLike[];
  const args = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t) => t.function?.arguments ?? "").join("");
  assert.equal(args, '{"city":"mock","days":1}');
  assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, "tool_calls");
});

test("injected 429 with retry-after and 500", async () => {
  const res = await chat({ messages: user("x [mock:error=429:retry-after=2]") });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "2");
  const body = (await res.json()) as ErrorLike;
  assert.equal(body.error.type, "rate_limit_error");
  assert.equal(body.error.code, "rate_limit_exceeded");
  const five = await chat({ messages: user("[mock:error=500]") });
  assert.equal(five.status, 500);
  assert.equal(((await five.json()) as ErrorLike).error.type, "server_error");
  assert.equal(mock.stats().errorsInjected, 2);
});

test("bad directives, invalid JSON, missing fields, unknown path", async () => {
  const bad = await chat({ messages: user("[mock:nope]") });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as ErrorLike).error.code, "invalid_mock_directive");

  const invalid = await fetch(`${mock.baseUrl}/chat/completions`, { method: "POST", body: "{nope" });
  assert.equal(invalid.status, 400);
  assert.equal(((await invalid.json()) as ErrorLike).error.code, "invalid_json");
  assert.equal(mock.stats().lastRequest?.body, "{nope");

  const missing = await chat({ messages: [] });
  assert.equal(missing.status, 400);
  assert.equal(((await missing.json()) as ErrorLike).error.param, "messages");

  const unknown = await fetch(`${mock.baseUrl}/nope`);
  assert.equal(unknown.status, 404);
  const e = (await unknown.json()) as ErrorLike;
  assert.deepEqual(Object.keys(e.error).sort(), ["code", "message", "param", "type"]);
  assert.equal(e.error.type, "invalid_request_error");
});

test("garbage answers 200 with a non-JSON body", async () => {
  const res = await chat({ messages: user("[mock:garbage]") });
  assert.equal(res.status, 200);
  await assert.rejects(res.json());
});

test("client abort mid-stream is counted", async () => {
  const ac = new AbortController();
  const res = await chat({ messages: user("one two three four five six [mock:chunk-delay=20]"), stream: true }, {}, ac.signal);
  const reader = res.body?.getReader();
  assert.ok(reader);
  await reader.read();
  ac.abort();
  await until(() => mock.stats().streams.aborted === 1, "stream abort");
  const s = mock.stats();
  assert.equal(s.streams.started, 1);
  assert.equal(s.streams.completed, 0);
});

test("close-mid-stream and stall-after", async () => {
  const res = await chat({ messages: user("a b c d e f [mock:close-mid-stream]"), stream: true });
  await assert.rejects(res.text());
  await until(() => mock.stats().streams.closedByMock === 1, "close-mid-stream");
  assert.equal(mock.stats().streams.aborted, 0);

  const ac = new AbortController();
  const stalled = await chat({ messages: user("a b c d e f [mock:stall-after=3]"), stream: true }, {}, ac.signal);
  const reader = stalled.body?.getReader();
  assert.ok(reader);
  let got = "";
  while ((got.match(/data: /g) ?? []).length < 3) {
    const { value, done } = await reader.read();
    assert.equal(done, false);
    got += Buffer.from(value ?? new Uint8Array()).toString("utf8");
  }
  assert.equal((got.match(/data: /g) ?? []).length, 3);
  ac.abort();
  await until(() => mock.stats().streams.aborted === 1, "stalled stream abort");
});

test("hang never answers; the abort is counted", async () => {
  const ac = new AbortController();
  const pending = chat({ messages: user("[mock:hang]") }, {}, ac.signal);
  await until(() => mock.stats().requests.total === 1, "request arrival");
  ac.abort();
  await assert.rejects(pending);
  await until(() => mock.stats().requests.aborted === 1, "hang abort");
});

test("embeddings float and base64 agree", async () => {
  const post = (body: unknown) =>
    fetch(`${mock.baseUrl}/embeddings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  type Emb = { data: Array<{ embedding: number[] | string; index: number }>; usage: { prompt_tokens: number } };
  const f = (await (await post({ model: "mock-embed", input: ["abcd", "efgh"] })).json()) as Emb;
  assert.equal(f.data.length, 2);
  assert.equal((f.data[0]?.embedding as number[]).length, 8);
  assert.equal(f.usage.prompt_tokens, 2);
  const b = (await (await post({ model: "mock-embed", input: ["abcd", "efgh"], encoding_format: "base64", dimensions: 8 })).json()) as Emb;
  assert.equal(typeof b.data[0]?.embedding, "string");
  assert.deepEqual(base64ToFloat32(b.data[1]?.embedding as string), f.data[1]?.embedding);
  const d = (await (await post({ model: "mock-embed", input: "x", dimensions: 3 })).json()) as Emb;
  assert.equal((d.data[0]?.embedding as number[]).length, 3);
});

test("models list, stats and reset endpoints", async () => {
  const models = (await (await fetch(`${mock.baseUrl}/models`)).json()) as { object: string; data: Array<{ id: string }> };
  assert.equal(models.object, "list");
  assert.ok(models.data.some((m) => m.id === "mock-echo"));
  const stats = (await (await fetch(`${mock.url}/mock/stats`)).json()) as { requests: { byPath: Record<string, number> } };
  assert.equal(stats.requests.byPath["/v1/models"], 1);
  assert.equal((await fetch(`${mock.url}/mock/reset`, { method: "POST" })).status, 200);
  assert.equal(mock.stats().requests.total, 0);
});

test("x-mock-latency-ms header is accepted", async () => {
  const res = await chat({ messages: user("hi") }, { "x-mock-latency-ms": "5" });
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as CompletionLike).choices[0]?.message.content, "echo: hi");
});

test("a large stream completes under backpressure and reports its usage", async () => {
  const res = await chat({ messages: user("w [mock:words=40000]"), stream: true, stream_options: { include_usage: true } });
  const reader = res.body?.getReader();
  assert.ok(reader);
  await new Promise((r) => setTimeout(r, 50)); // let the server hit backpressure before reading
  let text = "";
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  const chunks = parseSse(text).events as ChunkLike[];
  assert.equal(chunks.at(-1)?.usage?.completion_tokens, 40000);
  assert.equal(chunks.filter((c) => c.choices[0]?.delta.content).length, 40000);
  const s = mock.stats();
  assert.equal(s.streams.completed, 1);
  assert.equal(s.usage.completion_tokens, 40000);
});
