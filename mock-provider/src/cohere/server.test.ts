import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { cohereAdapter } from "../../../sidecar/src/providers/cohere/adapter";
import type { ChatInput } from "../../../sidecar/src/providers/types";
import { parseSse } from "../chunks";
import { startCohereMock, type CohereMockHandle } from "./server";

let mock: CohereMockHandle;
before(async () => {
  mock = await startCohereMock({ port: 0 });
});
after(async () => {
  await mock.close();
});

const user = (content: string) => [{ role: "user", content }];
const TOOLS = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];

function post(body: unknown, headers: Record<string, string> = { authorization: "Bearer k" }, path = "/v2/chat"): Promise<Response> {
  return fetch(`${mock.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/** Cohere SSE → the JSON payloads (dispatching on data.type, as the SDK does) and the `event:` names. */
function cohereEvents(text: string): { types: string[]; names: string[]; done: boolean } {
  const blocks = text.split("\n\n").filter((b) => b.trim() !== "");
  const names = blocks.flatMap((b) => b.split("\n").filter((l) => l.startsWith("event: ")).map((l) => l.slice(7)));
  const data = blocks.map((b) => b.split("\n").find((l) => l.startsWith("data: "))?.slice(6) ?? "");
  const done = data.at(-1) === "[DONE]";
  return { types: data.filter((d) => d !== "[DONE]").map((d) => (JSON.parse(d) as { type: string }).type), names, done };
}

describe("cohere mock: /v2/chat", () => {
  it("answers a Cohere response body with billed_units and tokens", async () => {
    const res = await post({ model: "command-a", messages: user("hello there") });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { id: string; finish_reason: string; message: { content: Array<{ type: string; text: string }> }; usage: { billed_units: { input_tokens: number }; tokens: { output_tokens: number } } };
    assert.equal(body.finish_reason, "COMPLETE");
    assert.deepEqual(body.message.content, [{ type: "text", text: "echo: hello there" }]);
    assert.deepEqual([body.usage.billed_units.input_tokens, body.usage.tokens.output_tokens], [6, 3]);
    assert.equal(mock.lastRequest()?.headers["authorization"], "Bearer k");
  });
  it("calls tools for `call <name>` with TOOL_CALL and REQUIRED tool_choice", async () => {
    const res = await post({ model: "command-a", messages: user("please call get_weather"), tools: TOOLS });
    const body = (await res.json()) as { finish_reason: string; message: { tool_calls: Array<{ function: { name: string; arguments: string } }> } };
    assert.equal(body.finish_reason, "TOOL_CALL");
    assert.deepEqual(body.message.tool_calls.map((c) => [c.function.name, c.function.arguments]), [["get_weather", '{"city":"mock"}']]);
    const none = (await (await post({ model: "command-a", messages: user("call get_weather"), tools: TOOLS, tool_choice: "NONE" })).json()) as { finish_reason: string };
    assert.equal(none.finish_reason, "COMPLETE");
  });
  it("streams the real v2 event types with event: lines and ends with data: [DONE]", async () => {
    const res = await post({ model: "command-a", stream: true, messages: user("a b") });
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const { types, names, done } = cohereEvents(await res.text());
    assert.deepEqual(types, ["message-start", "content-start", "content-delta", "content-delta", "content-delta", "content-end", "message-end"]);
    assert.deepEqual(names, types);
    assert.ok(done);
    const tools = cohereEvents(await (await post({ model: "command-a", stream: true, messages: user("call get_weather"), tools: TOOLS })).text());
    assert.deepEqual(tools.types.slice(0, 3), ["message-start", "tool-plan-delta", "tool-call-start"]);
    assert.ok(tools.types.includes("tool-call-delta") && tools.types.includes("tool-call-end"));
  });
  it("answers Cohere error bodies: 401 without key, injected 429 with retry-after, unknown path 404", async () => {
    const noKey = await post({ model: "command-a", messages: user("x") }, {});
    assert.equal(noKey.status, 401);
    assert.equal(typeof ((await noKey.json()) as { message: string }).message, "string");
    const limited = await post({ model: "command-a", messages: user("x [mock:error=429:retry-after=3]") });
    assert.deepEqual([limited.status, limited.headers.get("retry-after")], [429, "3"]);
    const body = (await limited.json()) as { id: string; message: string };
    assert.ok(body.id && body.message);
    assert.equal((await post({}, { authorization: "Bearer k" }, "/v1/chat")).status, 404);
  });
});

const streamOptions = { clientIncludeUsage: true, now: 0 };

function input(json: Record<string, unknown>, clientIncludeUsage = false): ChatInput {
  return { body: Buffer.from(JSON.stringify(json)), json, upstreamModel: String(json["model"]), stream: json["stream"] === true, clientIncludeUsage, now: Date.UTC(2026, 0, 1) };
}

async function roundTrip(json: Record<string, unknown>, clientIncludeUsage = false): Promise<Response> {
  const target = cohereAdapter.prepare({ id: "d", provider: "cohere", baseUrl: mock.url, region: "", options: {} }, { api_key: "k" });
  const req = cohereAdapter.buildChatRequest(target, input(json, clientIncludeUsage));
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < req.headers.length; i += 2) headers[req.headers[i] as string] = req.headers[i + 1] as string;
  return fetch(`${target.origin}${req.path}`, { method: req.method, headers, body: Buffer.from(req.body) });
}

describe("cohere adapter against the mock", () => {
  it("non-stream: OpenAI chat.completion with usage", async () => {
    const res = await roundTrip({ model: "command-a", messages: [{ role: "system", content: "s" }, ...user("hi you")], max_completion_tokens: 50 });
    const parsed = cohereAdapter.parseChatResponse(new Uint8Array(await res.arrayBuffer()));
    assert.ok(parsed.ok);
    const body = JSON.parse(Buffer.from(parsed.body).toString()) as { object: string; choices: Array<{ message: { content: string }; finish_reason: string }> };
    assert.deepEqual([body.object, body.choices[0]?.message.content, body.choices[0]?.finish_reason], ["chat.completion", "echo: hi you", "stop"]);
    assert.equal((mock.lastRequest()?.body as { max_tokens: number }).max_tokens, 50);
    assert.deepEqual([parsed.usage?.promptTokens, parsed.usage?.completionTokens], [4 + 5, 3]);
  });
  it("stream with tools: OpenAI tool-call deltas, finish tool_calls, usage chunk, [DONE]", async () => {
    const res = await roundTrip({ model: "command-a", stream: true, stream_options: { include_usage: true }, messages: user("call get_weather"), tools: TOOLS }, true);
    const decoder = cohereAdapter.createStreamDecoder(streamOptions);
    let out = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const piece = decoder.push(chunk);
      if (piece) out += Buffer.from(piece).toString();
    }
    const tail = decoder.end();
    if (tail) out += Buffer.from(tail).toString();
    const { events, done } = parseSse(out);
    assert.ok(done);
    const chunks = events as Array<{ choices: Array<{ delta: { tool_calls?: Array<{ index: number; function: { name?: string; arguments?: string } }> }; finish_reason: string | null }>; usage?: unknown }>;
    const args = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? [])).map((t) => t.function.arguments ?? "").join("");
    assert.equal(args, '{"city":"mock"}');
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, "tool_calls");
    assert.ok(chunks.at(-1)?.usage);
    assert.equal(decoder.finishReason, "tool_calls");
    assert.ok((decoder.usage?.completionTokens ?? 0) > 0);
  });
});
