/** The sidecar's Anthropic adapter against this mock over real HTTP: request accepted, answers translated. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createAnthropicAdapter } from "../../../sidecar/src/providers/anthropic/adapter";
import type { ChatInput, PreparedDeployment } from "../../../sidecar/src/providers/types";
import { startAnthropicMock, type AnthropicMockHandle } from "./server";

const adapter = createAnthropicAdapter();
let mock: AnthropicMockHandle;
let target: PreparedDeployment;
before(async () => {
  mock = await startAnthropicMock();
  target = adapter.prepare({ id: "d", provider: "anthropic", baseUrl: mock.url, region: "", options: {} }, { api_key: "sk-ant-rt" });
});
after(() => mock.close());

async function call(json: Record<string, unknown>, includeUsage = false): Promise<Response> {
  const input: ChatInput = { body: Buffer.from(JSON.stringify(json)), json, upstreamModel: "claude-rt", stream: json["stream"] === true, clientIncludeUsage: includeUsage, now: 0 };
  const req = adapter.buildChatRequest(target, input);
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < req.headers.length; i += 2) headers[req.headers[i] as string] = req.headers[i + 1] as string;
  return fetch(`${mock.url}${req.path}`, { method: req.method, headers, body: req.body });
}

test("non-stream: echo text and usage come back as an OpenAI chat.completion", async () => {
  const res = await call({ model: "public", messages: [{ role: "system", content: "sys" }, { role: "user", content: "hello there" }] });
  assert.equal(res.status, 200);
  const parsed = adapter.parseChatResponse(new Uint8Array(await res.arrayBuffer()));
  assert.ok(parsed.ok);
  const body = JSON.parse(Buffer.from(parsed.body).toString()) as { object: string; model: string; choices: Array<{ message: { content: string }; finish_reason: string }> };
  assert.equal(body.object, "chat.completion");
  assert.equal(body.model, "claude-rt");
  assert.equal(body.choices[0]?.message.content, "echo: hello there");
  assert.equal(parsed.finishReason, "stop");
  assert.deepEqual(parsed.usage, { promptTokens: 10, completionTokens: 3, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
});

test("stream with tools: OpenAI chunks with a tool call, usage chunk, [DONE]", async () => {
  const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } }];
  const res = await call({ model: "p", stream: true, stream_options: { include_usage: true }, tools, messages: [{ role: "user", content: "call lookup" }] }, true);
  assert.equal(res.headers.get("content-type")?.includes(adapter.streamContentType), true);
  const decoder = adapter.createStreamDecoder({ clientIncludeUsage: true });
  let out = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const piece = decoder.push(chunk);
    if (piece !== null) out += Buffer.from(piece).toString();
  }
  const tail = decoder.end();
  if (tail !== null) out += Buffer.from(tail).toString();
  assert.ok(out.endsWith("data: [DONE]\n\n"));
  const chunks = out.split("\n\n").filter((e) => e.startsWith("data: {")).map((e) => JSON.parse(e.slice(6)) as { choices: Array<{ delta: { tool_calls?: Array<{ function: { arguments?: string } }> } }>; usage?: unknown });
  const args = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? [])).map((t) => t.function.arguments ?? "").join("");
  assert.deepEqual(JSON.parse(args), { q: "mock" });
  assert.equal(decoder.finishReason, "tool_calls");
  assert.equal(chunks.filter((c) => c.choices.length === 0 && c.usage !== null).length, 1);
  assert.equal(decoder.usage?.completionTokens, 5); // ceil(len("lookup{\"q\":\"mock\"}") / 4)
});

test("errors: an injected 529 maps to 503 with the OpenAI envelope", async () => {
  const res = await call({ model: "p", messages: [{ role: "user", content: "x [mock:error=529]" }] });
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  const mapped = adapter.mapError(res.status, headers, new Uint8Array(await res.arrayBuffer()));
  assert.ok(mapped.kind === "relay");
  assert.equal(mapped.status, 503);
  assert.equal((JSON.parse(Buffer.from(mapped.body).toString()) as { error: { code: string } }).error.code, "overloaded");
});
