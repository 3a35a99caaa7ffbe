/**
 * The gemini/vertex adapters against the Gemini mock over real HTTP: request building, response parsing,
 * stream decoding, error mapping, and a gemini-3 tool loop whose thought signature must survive the
 * OpenAI tool-call id round trip (the mock rejects replayed calls without it, like Gemini 3).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startGeminiMock, type GeminiMockHandle } from "../../mock-provider/src/gemini/server";
import { geminiAdapter, vertexAdapter } from "../../sidecar/src/providers/gemini/adapter";
import type { PreparedDeployment, ProviderAdapter } from "../../sidecar/src/providers/types";

let mock: GeminiMockHandle;
before(async () => {
  mock = await startGeminiMock();
});
after(async () => {
  await mock.close();
});

function headers(target: PreparedDeployment, extra: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const flat = [...target.headers, ...extra];
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

async function call(adapter: ProviderAdapter, target: PreparedDeployment, json: Record<string, unknown>) {
  const stream = json["stream"] === true;
  const includeUsage = (json["stream_options"] as { include_usage?: boolean } | undefined)?.include_usage === true;
  const req = adapter.buildChatRequest(target, { body: Buffer.from(JSON.stringify(json)), json, upstreamModel: String(json["model"]), stream, clientIncludeUsage: includeUsage, now: Date.UTC(2026, 0, 1) });
  const res = await fetch(target.origin + req.path, { method: req.method, headers: headers(target, req.headers), body: Buffer.from(req.body) });
  const body = Buffer.from(await res.arrayBuffer());
  const resHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => (resHeaders[k] = v));
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", body, resHeaders };
}

const weather = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];

for (const [name, adapter, prepare] of [
  ["gemini", geminiAdapter, () => geminiAdapter.prepare({ id: "g", provider: "gemini", baseUrl: mock.url, region: "", options: {} }, { api_key: "k" })],
  ["vertex", vertexAdapter, () => vertexAdapter.prepare({ id: "v", provider: "vertex", baseUrl: mock.url, region: "us-central1", options: { project: "acme" } }, { access_token: "ya29.t" })],
] as const) {
  describe(`${name} adapter ↔ mock`, () => {
    it("non-stream chat", async () => {
      const target = prepare();
      const r = await call(adapter, target, { model: "gemini-2.5-flash", messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello world" }] });
      assert.equal(r.status, 200);
      const parsed = adapter.parseChatResponse(r.body);
      assert.ok(parsed.ok);
      const client = JSON.parse(Buffer.from(parsed.body).toString()) as { object: string; choices: { message: { content: string } }[] };
      assert.equal(client.object, "chat.completion");
      assert.equal(client.choices[0]?.message.content, "echo: hello world");
      assert.deepEqual(parsed.usage, { promptTokens: 11, completionTokens: 3, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    });

    it("stream with include_usage", async () => {
      const target = prepare();
      const r = await call(adapter, target, { model: "gemini-2.5-flash", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "ünï cödé 🌍" }] });
      assert.ok(r.contentType.includes(adapter.streamContentType));
      const decoder = adapter.createStreamDecoder({ clientIncludeUsage: true });
      let out = "";
      for (let i = 0; i < r.body.length; i += 7) {
        const piece = decoder.push(r.body.subarray(i, i + 7));
        if (piece !== null) out += Buffer.from(piece).toString();
      }
      out += Buffer.from(decoder.end() ?? new Uint8Array()).toString();
      const events = out.split("\n\n").filter((e) => e !== "");
      assert.equal(events.at(-1), "data: [DONE]");
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: unknown });
      assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? "").join(""), "echo: ünï cödé 🌍");
      assert.deepEqual(chunks.at(-1)?.choices, []);
      assert.equal(decoder.finishReason, "stop");
      assert.equal(decoder.usage?.completionTokens, 4);
    });

    it("gemini-3 tool loop: the thought signature rides in the tool-call id and the mock accepts the replay", async () => {
      const target = prepare();
      const first = { model: "gemini-3-pro-preview", tools: weather, messages: [{ role: "user", content: "call get_weather please" }] };
      const r1 = await call(adapter, target, first);
      const p1 = adapter.parseChatResponse(r1.body);
      assert.ok(p1.ok);
      assert.equal(p1.finishReason, "tool_calls");
      const msg = (JSON.parse(Buffer.from(p1.body).toString()) as { choices: { message: { tool_calls: { id: string; function: { name: string; arguments: string } }[] } }[] }).choices[0]?.message;
      const tc = msg?.tool_calls[0];
      assert.ok(tc !== undefined && tc.id.startsWith("call_"));
      assert.equal(tc.function.arguments, '{"city":"mock"}');
      const history = [...first.messages, { role: "assistant", content: null, tool_calls: msg?.tool_calls }, { role: "tool", tool_call_id: tc.id, content: "sunny" }];
      const r2 = await call(adapter, target, { ...first, messages: history });
      assert.equal(r2.status, 200, r2.body.toString());
      const replayed = (mock.lastRequest()?.body as { contents: { parts: { thoughtSignature?: string; functionResponse?: { name: string } }[] }[] }).contents;
      assert.equal(Buffer.from(replayed[1]?.parts[0]?.thoughtSignature ?? "", "base64").toString(), "sidegate-mock-signature:get_weather");
      assert.equal(replayed[2]?.parts[0]?.functionResponse?.name, "get_weather");
      // Without the signature (a foreign id) the mock refuses, as Gemini 3 does.
      const foreign = [...first.messages, { role: "assistant", content: null, tool_calls: [{ ...tc, id: "call_foreign" }] }, { role: "tool", tool_call_id: "call_foreign", content: "sunny" }];
      assert.equal((await call(adapter, target, { ...first, messages: foreign })).status, 400);
    });

    it("injected 429 maps to an OpenAI rate-limit error with retry-after", async () => {
      const target = prepare();
      const r = await call(adapter, target, { model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi [mock:error=429:retry-after=17]" }] });
      const mapped = adapter.mapError(r.status, r.resHeaders, r.body);
      assert.equal(mapped.kind, "relay");
      if (mapped.kind !== "relay") return;
      assert.equal(mapped.status, 429);
      assert.deepEqual([...mapped.headers], ["content-type", "application/json", "retry-after", "17"]);
      assert.equal((JSON.parse(Buffer.from(mapped.body).toString()) as { error: { type: string } }).error.type, "rate_limit_error");
    });
  });
}
