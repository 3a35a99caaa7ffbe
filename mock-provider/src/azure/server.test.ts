import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { azureOpenAiAdapter } from "../../../sidecar/src/providers/azure-openai/adapter";
import type { ChatInput } from "../../../sidecar/src/providers/types";
import { parseSse } from "../chunks";
import { startAzureMock, type AzureMockHandle } from "./server";

let mock: AzureMockHandle;
before(async () => {
  mock = await startAzureMock({ port: 0 });
});
after(async () => {
  await mock.close();
});

const DATED = "/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21";
const user = (content: string) => [{ role: "user", content }];

function post(path: string, body: unknown, headers: Record<string, string> = { "api-key": "k" }): Promise<Response> {
  return fetch(`${mock.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

describe("azure mock: routes and auth", () => {
  it("answers the dated route with Azure annotations and records the request", async () => {
    const res = await post(DATED, { messages: user("hello there") });
    assert.equal(res.status, 200);
    assert.ok(res.headers.get("apim-request-id"));
    const body = (await res.json()) as { choices: Array<{ message: { content: string }; content_filter_results: unknown }>; prompt_filter_results: unknown[]; usage: { prompt_tokens: number; completion_tokens: number } };
    assert.equal(body.choices[0]?.message.content, "echo: hello there");
    assert.ok(body.choices[0]?.content_filter_results);
    assert.equal(body.prompt_filter_results.length, 1);
    assert.deepEqual([body.usage.prompt_tokens, body.usage.completion_tokens], [6, 3]);
    assert.equal(mock.lastRequest()?.path, DATED);
    assert.equal(mock.lastRequest()?.headers["api-key"], "k");
  });
  it("answers the v1 route with the deployment as model and a Bearer token", async () => {
    const res = await post("/openai/v1/chat/completions", { model: "gpt4o", messages: user("x") }, { authorization: "Bearer tok" });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { object: string }).object, "chat.completion");
  });
  it("rejects a missing key (401), a missing api-version (404) and a malformed one (400)", async () => {
    const noKey = await post(DATED, { messages: user("x") }, {});
    assert.equal(noKey.status, 401);
    assert.equal(((await noKey.json()) as { error: { code: string } }).error.code, "401");
    assert.equal((await post("/openai/deployments/gpt4o/chat/completions", { messages: user("x") })).status, 404);
    assert.equal((await post("/openai/deployments/gpt4o/chat/completions?api-version=latest", { messages: user("x") })).status, 400);
  });
  it("injects errors: 429 with retry headers, 400 as a content-filter block", async () => {
    const limited = await post(DATED, { messages: user("x [mock:error=429:retry-after=2]") });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "2");
    assert.equal(limited.headers.get("retry-after-ms"), "2000");
    const blocked = await post(DATED, { messages: user("x [mock:error=400]") });
    const e = (await blocked.json()) as { error: { code: string; param: string; innererror: { code: string } } };
    assert.deepEqual([blocked.status, e.error.code, e.error.param, e.error.innererror.code], [400, "content_filter", "prompt", "ResponsibleAIPolicyViolation"]);
  });
  it("streams Azure-style: annotation-only first chunk, delta-less annotation chunk, usage chunk, [DONE]", async () => {
    const res = await post(DATED, { stream: true, stream_options: { include_usage: true }, messages: user("a b") });
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    const { events, done } = parseSse(await res.text());
    assert.ok(done);
    const chunks = events as Array<{ id: string; choices: Array<{ delta?: unknown }>; prompt_filter_results?: unknown; usage?: unknown }>;
    assert.equal(chunks[0]?.id, "");
    assert.ok(chunks[0]?.prompt_filter_results);
    assert.ok(chunks.some((c) => c.choices.length === 1 && c.choices[0]?.delta === undefined));
    assert.ok(chunks.at(-1)?.usage);
  });
});

const streamOptions = { clientIncludeUsage: false, now: 0 };

function input(json: Record<string, unknown>): ChatInput {
  const stream = json["stream"] === true;
  return { body: Buffer.from(JSON.stringify(json)), json, upstreamModel: String(json["model"]), stream, clientIncludeUsage: false, now: Date.UTC(2026, 0, 1) };
}

async function roundTrip(options: Record<string, string>, json: Record<string, unknown>) {
  const target = azureOpenAiAdapter.prepare({ id: "d", provider: "azure-openai", baseUrl: mock.url, region: "", options }, { api_key: "k" });
  const req = azureOpenAiAdapter.buildChatRequest(target, input(json));
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < req.headers.length; i += 2) headers[req.headers[i] as string] = req.headers[i + 1] as string;
  return fetch(`${target.origin}${req.path}`, { method: req.method, headers, body: Buffer.from(req.body) });
}

describe("azure adapter against the mock", () => {
  it("non-stream: clean OpenAI body with usage (deployment route)", async () => {
    const res = await roundTrip({ deployment: "gpt4o" }, { model: "gpt-4o", messages: user("hi you") });
    const parsed = azureOpenAiAdapter.parseChatResponse(new Uint8Array(await res.arrayBuffer()));
    assert.ok(parsed.ok);
    const body = JSON.parse(Buffer.from(parsed.body).toString()) as Record<string, unknown> & { choices: Record<string, unknown>[] };
    assert.equal(body["prompt_filter_results"], undefined);
    assert.equal(body.choices[0]?.["content_filter_results"], undefined);
    assert.equal(parsed.usage?.completionTokens, 3);
  });
  it("stream (v1 route): no id:\"\" chunk, no annotations, usage on the decoder, [DONE]", async () => {
    const res = await roundTrip({ api_style: "v1", deployment: "gpt4o" }, { model: "gpt-4o", stream: true, messages: user("one two") });
    const decoder = azureOpenAiAdapter.createStreamDecoder(streamOptions);
    let out = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const piece = decoder.push(chunk);
      if (piece) out += Buffer.from(piece).toString();
    }
    const tail = decoder.end();
    if (tail) out += Buffer.from(tail).toString();
    assert.equal(mock.lastRequest()?.path, "/openai/v1/chat/completions");
    assert.ok(!out.includes('"id":""') && !out.includes("filter_results") && !out.includes("content_filter_offsets"));
    const { events, done } = parseSse(out);
    assert.ok(done);
    const text = (events as Array<{ choices: Array<{ delta: { content?: string } }> }>).map((e) => e.choices[0]?.delta.content ?? "").join("");
    assert.equal(text, "echo: one two");
    assert.deepEqual([decoder.usage?.promptTokens, decoder.usage?.completionTokens, decoder.finishReason], [5, 3, "stop"]);
  });
});
