import { test } from "node:test";
import assert from "node:assert/strict";
import { messageType, TO_OBJECT, type RequestRecord } from "../../../proto";
import { UsageAccumulator } from "./accumulator";
import { countRecords, decodeDeltas, encodeBatch } from "./batch-codec";

function record(i: number, key: string, model: string): RequestRecord {
  return {
    request_id: `req-${i}`, key_id: key, team_id: "team-a", user_id: i % 2 === 0 ? "u1" : "", project_id: "",
    model, provider: "openai", deployment_id: "d1", upstream_model: "gpt-4o-2024-08-06", status: i % 5 === 0 ? 429 : 200,
    error_code: i % 5 === 0 ? "rate_limit_exceeded" : "", prompt_tokens: 10 + i, completion_tokens: i, cached_tokens: 0,
    cache_write_tokens: 0, reasoning_tokens: i % 3, cost_usd: 0.001 * i, latency_ms: 5 + i, ttft_ms: 2, stream: i % 2 === 1,
    started_at_ms: 1_767_225_600_000 + i, attempts: 1 + (i % 2), endpoint: "/v1/chat/completions", tags: i % 4 === 0 ? { feature: "search" } : {},
  };
}

const HEADER = { sidecar_id: "sc-1", producer_id: "p-1", seq: 7, created_at_ms: 1_767_225_600_123 };

test("a batch built from eagerly encoded records decodes, with the standard decoder, to the same batch", () => {
  const acc = new UsageAccumulator(100, () => undefined);
  const records = Array.from({ length: 25 }, (_, i) => record(i, `k${i % 3}`, i % 2 === 0 ? "gpt-4o" : "gpt-4o-mini"));
  for (const r of records) acc.add(r);
  const content = acc.take();
  assert.ok(content !== null);
  assert.equal(content.count, 25);
  const encoded = encodeBatch(HEADER, content.deltas, content.recordFields);
  const type = messageType("UsageBatch");
  const decoded = type.toObject(type.decode(encoded), TO_OBJECT) as { records: RequestRecord[]; deltas: unknown[]; seq: number; sidecar_id: string };
  assert.equal(decoded.sidecar_id, "sc-1");
  assert.equal(Number(decoded.seq), 7);
  assert.deepEqual(decoded.records.map((r) => r.request_id), records.map((r) => r.request_id));
  assert.deepEqual(decoded.records[4]?.tags, { feature: "search" });
  assert.equal(decoded.records[5]?.error_code, "rate_limit_exceeded");
  assert.equal(decoded.deltas.length, 6, "3 keys × 2 models");
  assert.equal(countRecords(encoded), 25);
});

test("deltas sum per (key, model) and read back without decoding records", () => {
  const acc = new UsageAccumulator(100, () => undefined);
  for (let i = 0; i < 10; i++) acc.add(record(i, i < 6 ? "a" : "b", "m"));
  const content = acc.take();
  assert.ok(content !== null);
  const back = decodeDeltas(encodeBatch(HEADER, content.deltas, content.recordFields)).map((d) => ({
    key: d.key_id, requests: Number(d.requests), prompt: Number(d.prompt_tokens), completion: Number(d.completion_tokens), cost: d.cost_usd,
  }));
  const sum = (from: number, to: number, f: (i: number) => number): number => Array.from({ length: to - from }, (_, k) => f(from + k)).reduce((x, y) => x + y, 0);
  assert.deepEqual(back.map((d) => [d.key, d.requests, d.prompt, d.completion]), [
    ["a", 6, sum(0, 6, (i) => 10 + i), sum(0, 6, (i) => i)],
    ["b", 4, sum(6, 10, (i) => 10 + i), sum(6, 10, (i) => i)],
  ]);
  assert.ok(Math.abs((back[0]?.cost ?? 0) - sum(0, 6, (i) => 0.001 * i)) < 1e-12);
});

test("a full batch is sealed at maxRecords; take returns batches oldest first, then null", () => {
  let full = 0;
  const acc = new UsageAccumulator(4, () => full++);
  for (let i = 0; i < 10; i++) acc.add(record(i, "k", "m"));
  assert.equal(full, 2);
  assert.equal(acc.size, 10);
  const counts: number[] = [];
  const firstIds: string[] = [];
  for (let c = acc.take(); c !== null; c = acc.take()) {
    counts.push(c.count);
    const type = messageType("UsageBatch");
    const decoded = type.decode(encodeBatch(HEADER, c.deltas, c.recordFields)) as unknown as { records: RequestRecord[] };
    firstIds.push(decoded.records[0]?.request_id ?? "");
  }
  assert.deepEqual(counts, [4, 4, 2]);
  assert.deepEqual(firstIds, ["req-0", "req-4", "req-8"]);
  assert.equal(acc.size, 0);
});

test("records larger than a buffer chunk are kept whole", () => {
  const acc = new UsageAccumulator(10, () => undefined);
  const big = { ...record(1, "k", "m"), tags: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`t${i}`, "x".repeat(200)])) };
  acc.add(record(0, "k", "m"));
  acc.add(big);
  acc.add(record(2, "k", "m"));
  const c = acc.take();
  assert.ok(c !== null);
  const decoded = messageType("UsageBatch").decode(encodeBatch(HEADER, c.deltas, c.recordFields)) as unknown as { records: RequestRecord[] };
  assert.deepEqual(decoded.records.map((r) => r.request_id), ["req-0", "req-1", "req-2"]);
  assert.equal(Object.keys(decoded.records[1]?.tags ?? {}).length, 400);
});
