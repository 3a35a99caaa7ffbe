import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MOCK_SIGNATURE_PREFIX } from "./generate";
import { startGeminiMock, type GeminiMockHandle } from "./server";

let mock: GeminiMockHandle;
before(async () => {
  mock = await startGeminiMock({ port: 0 });
});
after(async () => {
  await mock.close();
});

const GEMINI = "/v1beta/models/gemini-2.5-flash";
const VERTEX = "/v1/projects/acme/locations/us-central1/publishers/google/models/gemini-2.5-pro";
const user = (text: string) => ({ contents: [{ role: "user", parts: [{ text }] }] });

function post(path: string, body: unknown, headers: Record<string, string> = { "x-goog-api-key": "k" }): Promise<Response> {
  return fetch(mock.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

interface GenResponse {
  candidates: { content: { role: string; parts: { text?: string; functionCall?: { name: string; args: Record<string, unknown> }; thoughtSignature?: string }[] }; finishReason: string; index: number }[];
  usageMetadata: { promptTokenCount: number; candidatesTokenCount: number; totalTokenCount: number };
  modelVersion: string;
  responseId: string;
  createTime?: string;
}

function sseEvents(text: string): GenResponse[] {
  assert.ok(!text.includes("[DONE]"), "Gemini streams have no [DONE]");
  return text.split("\r\n\r\n").filter((e) => e !== "").map((e) => {
    assert.ok(e.startsWith("data: "), e);
    return JSON.parse(e.slice(6)) as GenResponse;
  });
}

describe("gemini mock: Gemini API paths", () => {
  it("echoes the last user text with usage from the shared formula, and records the request", async () => {
    const res = await post(`${GEMINI}:generateContent`, { systemInstruction: { parts: [{ text: "sys" }] }, ...user("hello big world") });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    const body = (await res.json()) as GenResponse;
    assert.equal(body.candidates[0]?.content.parts[0]?.text, "echo: hello big world");
    assert.equal(body.candidates[0]?.finishReason, "STOP");
    // prompt: ceil(15/4)+3 = 7, system ceil(3/4)+3 = 4; completion: 4 words
    assert.deepEqual([body.usageMetadata.promptTokenCount, body.usageMetadata.candidatesTokenCount, body.usageMetadata.totalTokenCount], [11, 4, 15]);
    assert.equal(body.modelVersion, "gemini-2.5-flash");
    assert.match(body.responseId, /^mock-resp-\d+$/);
    assert.equal(body.createTime, undefined);
    const last = mock.lastRequest();
    assert.equal(last?.method, "POST");
    assert.equal(last?.path, `${GEMINI}:generateContent`);
    assert.equal(last?.headers["x-goog-api-key"], "k");
    assert.deepEqual((last?.body as { contents: unknown[] }).contents.length, 1);
  });

  it("streams SSE (alt=sse) word by word with CRLF framing, running usage, finish on the last event, multi-byte intact", async () => {
    const res = await post(`${GEMINI}:streamGenerateContent?alt=sse`, { ...user("grüße 世界 🌍"), generationConfig: { candidateCount: 1 } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const events = sseEvents(await res.text());
    assert.equal(events.length, 4);
    assert.equal(events.map((e) => e.candidates[0]?.content.parts[0]?.text).join(""), "echo: grüße 世界 🌍");
    assert.deepEqual(events.map((e) => e.candidates[0]?.finishReason ?? null), [null, null, null, "STOP"]);
    assert.equal(events.at(-1)?.usageMetadata.candidatesTokenCount, 4);
    assert.ok(events.every((e) => e.responseId === events[0]?.responseId));
    assert.equal(mock.lastRequest()?.path, `${GEMINI}:streamGenerateContent?alt=sse`);
  });

  it("without alt=sse streams one JSON array", async () => {
    const res = await post(`${GEMINI}:streamGenerateContent`, user("a b"));
    const arr = JSON.parse(await res.text()) as GenResponse[];
    assert.equal(arr.length, 3);
    assert.equal(arr[2]?.candidates[0]?.finishReason, "STOP");
  });

  it("calls a declared function when told to, with a thought signature on the first call; answers after functionResponse", async () => {
    const tools = [{ functionDeclarations: [{ name: "get_weather", parameters: { type: "OBJECT", properties: { city: { type: "STRING" }, days: { type: "INTEGER" } } } }, { name: "get_time" }] }];
    const res = await post(`${GEMINI}:generateContent`, { ...user("please call get_weather and call get_time"), tools });
    const body = (await res.json()) as GenResponse;
    const parts = body.candidates[0]?.content.parts ?? [];
    assert.deepEqual(parts.map((p) => p.functionCall), [{ name: "get_weather", args: { city: "mock", days: 1 } }, { name: "get_time", args: {} }]);
    assert.equal(Buffer.from(parts[0]?.thoughtSignature ?? "", "base64").toString(), `${MOCK_SIGNATURE_PREFIX}get_weather`);
    assert.equal(parts[1]?.thoughtSignature, undefined);
    assert.equal(body.candidates[0]?.finishReason, "STOP");

    const loop = {
      contents: [user("call get_time").contents[0], { role: "model", parts: [parts[1]] }, { role: "user", parts: [{ functionResponse: { name: "get_time", response: { t: 1 } } }] }],
      tools,
    };
    const answer = (await (await post(`${GEMINI}:generateContent`, loop)).json()) as GenResponse;
    assert.equal(answer.candidates[0]?.content.parts[0]?.text, "echo: call get_time");
  });

  it("gemini-3 models reject a current-turn function call without thought signature", async () => {
    const contents = [{ role: "user", parts: [{ text: "call f" }] }, { role: "model", parts: [{ functionCall: { name: "f", args: {} } }] }, { role: "user", parts: [{ functionResponse: { name: "f", response: {} } }] }];
    const res = await post("/v1beta/models/gemini-3-pro-preview:generateContent", { contents });
    assert.equal(res.status, 400);
    const err = (await res.json()) as { error: { status: string; message: string } };
    assert.equal(err.error.status, "INVALID_ARGUMENT");
    assert.match(err.error.message, /thought_signature/);
    (contents[1]?.parts[0] as Record<string, unknown>)["thoughtSignature"] = "c2ln";
    assert.equal((await post("/v1beta/models/gemini-3-pro-preview:generateContent", { contents })).status, 200);
  });

  it("candidateCount and maxOutputTokens", async () => {
    const body = (await (await post(`${GEMINI}:generateContent`, { ...user("one two three"), generationConfig: { candidateCount: 2, maxOutputTokens: 2 } })).json()) as GenResponse;
    assert.equal(body.candidates.length, 2);
    assert.deepEqual(body.candidates.map((c) => [c.index, c.content.parts[0]?.text, c.finishReason]), [[0, "echo: one", "MAX_TOKENS"], [1, "echo: one", "MAX_TOKENS"]]);
  });

  it("auth: missing key 403 PERMISSION_DENIED, key 'invalid' 400 API_KEY_INVALID, ?key= accepted", async () => {
    const missing = await post(`${GEMINI}:generateContent`, user("x"), {});
    assert.equal(missing.status, 403);
    assert.equal(((await missing.json()) as { error: { status: string } }).error.status, "PERMISSION_DENIED");
    const bad = await post(`${GEMINI}:generateContent`, user("x"), { "x-goog-api-key": "invalid" });
    assert.equal(bad.status, 400);
    const err = (await bad.json()) as { error: { details: { reason: string }[] } };
    assert.equal(err.error.details[0]?.reason, "API_KEY_INVALID");
    assert.equal((await post(`${GEMINI}:generateContent?key=abc`, user("x"), {})).status, 200);
  });

  it("[mock:error=429:retry-after=17] → RESOURCE_EXHAUSTED with RetryInfo; other statuses map to rpc codes", async () => {
    const res = await post(`${GEMINI}:generateContent`, user("hi [mock:error=429:retry-after=17]"));
    assert.equal(res.status, 429);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const body = (await res.json()) as { error: { code: number; status: string; details: { "@type": string; retryDelay?: string }[] } };
    assert.equal(body.error.code, 429);
    assert.equal(body.error.status, "RESOURCE_EXHAUSTED");
    assert.equal(body.error.details.find((d) => d["@type"].endsWith("RetryInfo"))?.retryDelay, "17s");
    for (const [status, rpc] of [[503, "UNAVAILABLE"], [500, "INTERNAL"], [404, "NOT_FOUND"], [504, "DEADLINE_EXCEEDED"]] as const) {
      const r = await post(`${GEMINI}:streamGenerateContent?alt=sse`, user(`x [mock:error=${status}]`));
      assert.equal(r.status, status);
      assert.equal(((await r.json()) as { error: { status: string } }).error.status, rpc);
    }
  });

  it("bad input: invalid JSON, empty contents, unknown directive, unknown path, models list", async () => {
    assert.equal((await post(`${GEMINI}:generateContent`, "{nope")).status, 400);
    assert.equal((await post(`${GEMINI}:generateContent`, { contents: [] })).status, 400);
    assert.equal((await post(`${GEMINI}:generateContent`, user("[mock:frobnicate]"))).status, 400);
    assert.equal((await post("/v1beta/models/x:countTokens", user("x"))).status, 404);
    const models = (await (await fetch(`${mock.url}/v1beta/models`)).json()) as { models: { name: string }[] };
    assert.ok(models.models.some((m) => m.name === "models/gemini-2.5-flash"));
  });

  it("close-mid-stream cuts the connection after N events", async () => {
    const res = await post(`${GEMINI}:streamGenerateContent?alt=sse`, user("a b c d e [mock:close-mid-stream=2]"));
    assert.equal(res.status, 200);
    await assert.rejects(res.text());
  });
});

describe("gemini mock: Vertex AI paths", () => {
  it("needs a Bearer token (401 UNAUTHENTICATED otherwise)", async () => {
    const res = await post(`${VERTEX}:generateContent`, user("x"), { "x-goog-api-key": "k" });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { status: string } }).error.status, "UNAUTHENTICATED");
  });

  it("answers generateContent with createTime and streams SSE", async () => {
    const auth = { authorization: "Bearer ya29.token" };
    const body = (await (await post(`${VERTEX}:generateContent`, user("hi there"), auth)).json()) as GenResponse;
    assert.equal(body.candidates[0]?.content.parts[0]?.text, "echo: hi there");
    assert.ok(Number.isFinite(Date.parse(body.createTime ?? "")));
    assert.equal(mock.lastRequest()?.headers.authorization, "Bearer ya29.token");
    const events = sseEvents(await (await post(`${VERTEX}:streamGenerateContent?alt=sse`, user("hi there"), auth)).text());
    assert.equal(events.map((e) => e.candidates[0]?.content.parts[0]?.text).join(""), "echo: hi there");
    assert.equal(mock.lastRequest()?.path, `${VERTEX}:streamGenerateContent?alt=sse`);
  });
});
