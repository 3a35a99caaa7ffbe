import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startAnthropicMock, type AnthropicMockHandle } from "./server";

let mock: AnthropicMockHandle;
before(async () => {
  mock = await startAnthropicMock({ port: 0 });
});
after(async () => {
  await mock.close();
});

const HEADERS = { "content-type": "application/json", "x-api-key": "sk-ant-mock", "anthropic-version": "2023-06-01" };

function post(body: unknown, headers: Record<string, string> = HEADERS, path = "/v1/messages"): Promise<Response> {
  return fetch(`${mock.url}${path}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

const ask = (text: string, extra: Record<string, unknown> = {}) => ({ model: "claude-mock", max_tokens: 100, messages: [{ role: "user", content: text }], ...extra });

/** Parses `event:`/`data:` SSE into [event name, data] pairs. */
function events(text: string): Array<[string, Record<string, unknown>]> {
  return text.split("\n\n").filter((e) => e !== "").map((e) => {
    const lines = e.split("\n");
    const name = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "";
    const data = JSON.parse(lines.find((l) => l.startsWith("data: "))?.slice(6) ?? "null") as Record<string, unknown>;
    return [name, data];
  });
}

test("non-stream echo in Anthropic's Message shape, usage from the mock formula, request recorded", async () => {
  const res = await post(ask("hello big world", { system: "be nice" }));
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  assert.match(res.headers.get("request-id") ?? "", /^req_mock_/);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body["type"], "message");
  assert.equal(body["model"], "claude-mock");
  assert.deepEqual(body["content"], [{ type: "text", text: "echo: hello big world" }]);
  assert.equal(body["stop_reason"], "end_turn");
  // prompt: ceil(15/4)+3 = 7 for the message, ceil(7/4)+3 = 5 for the system prompt; output: 4 words
  assert.deepEqual(body["usage"], { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 4 });
  const last = mock.lastRequest();
  assert.equal(last?.method, "POST");
  assert.equal(last?.path, "/v1/messages");
  assert.equal(last?.headers["x-api-key"], "sk-ant-mock");
  assert.deepEqual((last?.body as Record<string, unknown>)["system"], "be nice");
});

test("stream: the full Anthropic event sequence with named events, ending at message_stop", async () => {
  const res = await post(ask("one two", { stream: true }));
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const evs = events(await res.text());
  assert.deepEqual(evs.map(([name]) => name), [
    "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_delta",
    "content_block_stop", "message_delta", "message_stop",
  ]);
  for (const [name, data] of evs) assert.equal(data["type"], name);
  const text = evs.filter(([n]) => n === "content_block_delta").map(([, d]) => (d["delta"] as { text: string }).text).join("");
  assert.equal(text, "echo: one two");
  assert.deepEqual(evs[7]?.[1], { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 3 } });
});

test("tool calls for `call <name>`: tool_use blocks, input_json_delta fragments that concatenate to the input", async () => {
  const tools = [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } } } }];
  const plain = (await (await post(ask("please call get_weather", { tools }))).json()) as Record<string, unknown>;
  assert.equal(plain["stop_reason"], "tool_use");
  assert.deepEqual(plain["content"], [{ type: "tool_use", id: "toolu_mock_1", name: "get_weather", input: { city: "mock", days: 1 } }]);
  const evs = events(await (await post(ask("call get_weather", { tools, stream: true }))).text());
  const start = evs.find(([n]) => n === "content_block_start")?.[1];
  assert.deepEqual(start?.["content_block"], { type: "tool_use", id: "toolu_mock_2", name: "get_weather", input: {} });
  const json = evs.filter(([n]) => n === "content_block_delta").map(([, d]) => (d["delta"] as { partial_json: string }).partial_json);
  assert.equal(json[0], "");
  assert.deepEqual(JSON.parse(json.join("")), { city: "mock", days: 1 });
  const forced = (await (await post(ask("no mention", { tools, tool_choice: { type: "any" } }))).json()) as Record<string, unknown>;
  assert.equal(forced["stop_reason"], "tool_use");
});

test("max_tokens truncates with stop_reason max_tokens", async () => {
  const body = (await (await post(ask("a b c d e", { max_tokens: 2 }))).json()) as Record<string, unknown>;
  assert.deepEqual(body["content"], [{ type: "text", text: "echo: a" }]);
  assert.equal(body["stop_reason"], "max_tokens");
});

test("[mock:error=STATUS] injects Anthropic error bodies and headers", async () => {
  const overloaded = await post(ask("hi [mock:error=529]"));
  assert.equal(overloaded.status, 529);
  const body = (await overloaded.json()) as { type: string; error: { type: string; message: string }; request_id: string };
  assert.equal(body.type, "error");
  assert.equal(body.error.type, "overloaded_error");
  assert.match(body.request_id, /^req_mock_/);
  const limited = await post(ask("hi [mock:error=429:retry-after=3]"));
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after"), "3");
  assert.equal(limited.headers.get("anthropic-ratelimit-requests-remaining"), "0");
  assert.ok(!Number.isNaN(Date.parse(limited.headers.get("anthropic-ratelimit-requests-reset") ?? "")));
  assert.equal(((await limited.json()) as { error: { type: string } }).error.type, "rate_limit_error");
});

test("real validation errors: missing key, missing version, missing max_tokens, bad JSON, unknown path", async () => {
  const noKey = await post(ask("x"), { "content-type": "application/json", "anthropic-version": "2023-06-01" });
  assert.equal(noKey.status, 401);
  assert.equal(((await noKey.json()) as { error: { type: string } }).error.type, "authentication_error");
  const noVersion = await post(ask("x"), { "content-type": "application/json", "x-api-key": "k" });
  assert.equal(noVersion.status, 400);
  const noMax = await post({ model: "m", messages: [{ role: "user", content: "x" }] });
  assert.equal(noMax.status, 400);
  assert.match(((await noMax.json()) as { error: { message: string } }).error.message, /max_tokens/);
  assert.equal((await post("{nope")).status, 400);
  const unknown = await post(ask("x"), HEADERS, "/v1/chat/completions");
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: { type: string } }).error.type, "not_found_error");
});
