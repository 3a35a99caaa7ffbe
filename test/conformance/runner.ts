import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isProxyError } from "../../sidecar/src/errors/proxy-error";
import type { ChatInput, PreparedDeployment, ProviderAdapter, ResponseContext } from "../../sidecar/src/providers/types";
import type { ConformanceFixture } from "./fixture";

const DEFAULT_NOW = Date.UTC(2026, 0, 1);

/** Recursive subset match with a readable path in the failure message. */
export function assertSubset(actual: unknown, expected: unknown, path = "$"): void {
  if (expected === null || typeof expected !== "object") {
    assert.deepEqual(actual, expected, `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: expected ${expected.length} items, got ${actual.length}: ${JSON.stringify(actual)}`);
    expected.forEach((item, i) => assertSubset(actual[i], item, `${path}[${i}]`));
    return;
  }
  assert.ok(actual !== null && typeof actual === "object" && !Array.isArray(actual), `${path}: expected an object, got ${JSON.stringify(actual)}`);
  for (const [key, value] of Object.entries(expected)) {
    assertSubset((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  }
}

/**
 * Parses client-facing SSE bytes into JSON events. A complete stream ends with exactly one `data: [DONE]`;
 * with `failed` the stream must instead end right after one error event (the mid-stream error convention,
 * sidecar/src/providers/shared/stream-error.ts), and no `[DONE]` may appear anywhere.
 */
export function parseClientSse(bytes: Uint8Array, failed = false): unknown[] {
  const text = Buffer.from(bytes).toString("utf8");
  const events = text.split("\n\n").filter((e) => e.trim().length > 0);
  if (!failed) {
    const last = events.pop();
    assert.equal(last?.trim(), "data: [DONE]", `stream must end with data: [DONE], got ${JSON.stringify(last)}`);
  }
  const parsed = events.map((e) => {
    const data = e
      .split("\n")
      .filter((l) => l.startsWith("data:"))
      .map((l) => l.slice(5).trimStart())
      .join("\n");
    assert.notEqual(data, "[DONE]", failed ? "no data: [DONE] after a mid-stream error" : "data: [DONE] only at the end");
    return JSON.parse(data) as unknown;
  });
  const errorAt = parsed.findIndex(isErrorEvent);
  if (failed) assert.equal(errorAt, parsed.length - 1, `the error event must be the last event: ${JSON.stringify(parsed)}`);
  else assert.equal(errorAt, -1, `unexpected error event (declare expectStreamError): ${JSON.stringify(parsed[errorAt])}`);
  return parsed;
}

function isErrorEvent(event: unknown): boolean {
  return event !== null && typeof event === "object" && "error" in event;
}

function headerMap(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[(flat[i] ?? "").toLowerCase()] = flat[i + 1] ?? "";
  return out;
}

function streamBytes(f: ConformanceFixture): Buffer {
  if (f.stream?.base64 !== undefined) return Buffer.from(f.stream.base64, "base64");
  return Buffer.from(f.stream?.text ?? "", "utf8");
}

/** Feeds `bytes` to a fresh decoder cut at the given offsets and returns everything it emitted. */
export function decodeSplit(adapter: ProviderAdapter, bytes: Buffer, cuts: number[], clientIncludeUsage: boolean, context: ResponseContext = { now: DEFAULT_NOW, model: "" }) {
  const decoder = adapter.createStreamDecoder({ clientIncludeUsage, ...context });
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    const piece = decoder.push(bytes.subarray(from, cut));
    if (piece !== null) out.push(Buffer.from(piece));
    from = cut;
  }
  const tail = decoder.end();
  if (tail !== null) out.push(Buffer.from(tail));
  return { bytes: Buffer.concat(out), usage: decoder.usage, finishReason: decoder.finishReason };
}

export function loadFixtures(dir: string): { file: string; fixture: ConformanceFixture }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(dir, file), "utf8")) as ConformanceFixture }));
}

/** Runs every fixture in `fixturesDir` against `adapter`: request building, response parsing, stream decoding. */
export function runConformance(adapter: ProviderAdapter, fixturesDir: string): void {
  const fixtures = loadFixtures(fixturesDir);
  describe(`conformance: ${adapter.id}`, () => {
    it("has fixtures", () => assert.ok(fixtures.length > 0, `no fixtures in ${fixturesDir}`));
    for (const { file, fixture: f } of fixtures) {
      it(`${f.case} (${file})`, () => checkFixture(adapter, f));
    }
  });
}

export function checkFixture(adapter: ProviderAdapter, f: ConformanceFixture): void {
  const target = adapter.prepare(
    {
      id: "conformance",
      provider: adapter.id,
      baseUrl: f.deployment?.baseUrl ?? "https://upstream.example.com",
      region: f.deployment?.region ?? "",
      options: f.deployment?.options ?? {},
    },
    f.secrets === undefined ? { api_key: "test-upstream-key" } : f.secrets,
  );
  const streamOptions = f.request["stream_options"] as { include_usage?: boolean } | undefined;
  const input: ChatInput = {
    body: Buffer.from(JSON.stringify(f.request)),
    json: f.request,
    upstreamModel: f.upstreamModel ?? String(f.request["model"]),
    stream: f.request["stream"] === true,
    clientIncludeUsage: streamOptions?.include_usage === true,
    now: f.now ?? DEFAULT_NOW,
  };
  if (f.expectReject !== undefined) return checkReject(adapter, target, input, f.expectReject);
  const req = adapter.buildChatRequest(target, input);
  const e = f.expectUpstream;
  if (e !== undefined) {
    if (e.method !== undefined) assert.equal(req.method, e.method, "upstream method");
    if (e.path !== undefined) assert.equal(req.path, e.path, "upstream path");
    const headers = headerMap([...target.headers, ...req.headers]);
    for (const [k, v] of Object.entries(e.headers ?? {})) assert.equal(headers[k.toLowerCase()], v, `upstream header ${k}`);
    for (const k of e.absentHeaders ?? []) assert.equal(headers[k.toLowerCase()], undefined, `upstream header ${k} must be absent`);
    if (e.bodyExact === true) assert.deepEqual(Buffer.from(req.body), input.body, "body forwarded byte for byte");
    if (e.json !== undefined || e.absentFields !== undefined) {
      const sent = JSON.parse(Buffer.from(req.body).toString("utf8")) as Record<string, unknown>;
      if (e.json !== undefined) assertSubset(sent, e.json, "upstream");
      for (const field of e.absentFields ?? []) {
        const value = field.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], sent);
        assert.equal(value, undefined, `upstream field ${field} must be absent`);
      }
    }
  }

  const status = f.response?.status ?? 200;
  if (f.expectError !== undefined) {
    const raw = f.response?.json !== undefined ? JSON.stringify(f.response.json) : (f.response?.text ?? "");
    const mapped = adapter.mapError(status, f.response?.headers ?? {}, Buffer.from(raw));
    assert.equal(mapped.kind, f.expectError.kind, "mapped error kind");
    if (mapped.kind === "relay") {
      if (f.expectError.status !== undefined) assert.equal(mapped.status, f.expectError.status, "relayed status");
      if (f.expectError.body !== undefined) assertSubset(JSON.parse(Buffer.from(mapped.body).toString("utf8")), f.expectError.body, "error body");
      const h = headerMap(mapped.headers);
      for (const [k, v] of Object.entries(f.expectError.headers ?? {})) assert.equal(h[k.toLowerCase()], v, `error header ${k}`);
    } else if (f.expectError.code !== undefined) {
      assert.equal(mapped.code, f.expectError.code, "mapped error code");
    }
    return;
  }

  if (f.stream !== undefined) {
    const bytes = streamBytes(f);
    const context: ResponseContext = { now: input.now, model: input.upstreamModel };
    const whole = decodeSplit(adapter, bytes, [], input.clientIncludeUsage, context);
    const events = parseClientSse(whole.bytes, f.expectStreamError !== undefined);
    const chunks = f.expectStreamError === undefined ? events : events.slice(0, -1);
    if (f.expectStreamError !== undefined) assertSubset(events[events.length - 1], { error: f.expectStreamError }, "stream error event");
    if (f.expectChunks !== undefined) assertSubset(chunks, f.expectChunks, "chunks");
    if (f.expectText !== undefined) {
      const text = chunks
        .map((c) => ((c as { choices?: { index?: number; delta?: { content?: string | null } }[] }).choices ?? []).filter((ch) => (ch.index ?? 0) === 0).map((ch) => ch.delta?.content ?? "").join(""))
        .join("");
      assert.equal(text, f.expectText, "streamed text");
    }
    if (f.expectUsage !== undefined) {
      if (f.expectUsage === null) assert.equal(whole.usage, null);
      else assertSubset(whole.usage, f.expectUsage, "usage");
    }
    if (f.expectFinish !== undefined) assert.equal(whole.finishReason, f.expectFinish, "finish reason");
    // Every single cut point, and every byte fed alone, must decode to the same client bytes and usage.
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const split = decodeSplit(adapter, bytes, [cut], input.clientIncludeUsage, context);
      assert.deepEqual(split.bytes.toString("utf8"), whole.bytes.toString("utf8"), `split at byte ${cut}`);
      assert.deepEqual(split.usage, whole.usage, `usage with a split at byte ${cut}`);
    }
    const bytewise = decodeSplit(adapter, bytes, Array.from({ length: Math.max(0, bytes.length - 1) }, (_, i) => i + 1), input.clientIncludeUsage, context);
    assert.equal(bytewise.bytes.toString("utf8"), whole.bytes.toString("utf8"), "one byte at a time");
    return;
  }

  if (f.response !== undefined) {
    const raw = f.response.json !== undefined ? JSON.stringify(f.response.json) : (f.response.text ?? "");
    const parsed = adapter.parseChatResponse(Buffer.from(raw), { now: input.now, model: input.upstreamModel });
    assert.ok(parsed.ok, `response must parse: ${parsed.ok ? "" : parsed.reason}`);
    if (f.expectClient !== undefined) assertSubset(JSON.parse(Buffer.from(parsed.body).toString("utf8")), f.expectClient, "client");
    if (f.expectUsage !== undefined) {
      if (f.expectUsage === null) assert.equal(parsed.usage, null);
      else assertSubset(parsed.usage, f.expectUsage, "usage");
    }
    if (f.expectFinish !== undefined) assert.equal(parsed.finishReason, f.expectFinish, "finish reason");
  }
}

/** The documented drop-or-reject rule: the builder must refuse the input with this catalogue code and param. */
function checkReject(adapter: ProviderAdapter, target: PreparedDeployment, input: ChatInput, expected: NonNullable<ConformanceFixture["expectReject"]>): void {
  let thrown: unknown = null;
  try {
    adapter.buildChatRequest(target, input);
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown !== null, `${adapter.id} must reject this request (${expected.code}, param ${String(expected.param)})`);
  assert.ok(isProxyError(thrown), `rejection must be a catalogue error, got ${String(thrown)}`);
  assert.equal(thrown.code, expected.code, "rejection code");
  if (expected.param !== undefined) assert.equal(thrown.param, expected.param, "rejection param");
  if (expected.message !== undefined) assert.ok(thrown.message.includes(expected.message), `rejection message ${JSON.stringify(thrown.message)} mentions ${JSON.stringify(expected.message)}`);
}
