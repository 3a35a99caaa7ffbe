import { test } from "node:test";
import assert from "node:assert/strict";
import { messageType, TO_OBJECT, type RequestRecord } from "../../../proto";
import { UsageAccumulator } from "./accumulator";
import { encodeBatch, encodeRecordField } from "./batch-codec";
import protobuf from "protobufjs";
import { NO_ROOM, NOT_EXACT, fieldKeys, writeRecordField } from "./record-writer";

const BATCH = messageType("UsageBatch");

function full(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    request_id: "req-1", key_id: "key-1", team_id: "team-1", user_id: "user-1", project_id: "proj-1", model: "gpt-4o",
    provider: "openai", deployment_id: "dep-1", upstream_model: "gpt-4o-2024-08-06", status: 200, error_code: "e",
    prompt_tokens: 120, completion_tokens: 300, cached_tokens: 7, cache_write_tokens: 9, reasoning_tokens: 11,
    cost_usd: 0.000425, latency_ms: 2300, ttft_ms: 180, stream: true, started_at_ms: 1_767_225_600_123, attempts: 2,
    endpoint: "chat", tags: { feature: "search", env: "prod" }, ...over,
  };
}

function written(record: RequestRecord, size = 1 << 16): Buffer {
  const buf = Buffer.alloc(size);
  const end = writeRecordField(record, buf, 0, size);
  assert.ok(end > 0, `writer returned ${end}`);
  return buf.subarray(0, end);
}

/** The records of a UsageBatch made of `fields`, as the control plane's deserializer sees them. */
function decoded(fields: Buffer): RequestRecord[] {
  return (BATCH.toObject(BATCH.decode(fields), TO_OBJECT) as { records: RequestRecord[] }).records;
}

test("a record with every field set is written byte for byte as protobufjs encodes it", () => {
  for (const r of [full(), full({ tags: {} }), full({ model: "m".repeat(300), tags: { k: "v".repeat(120) } })]) {
    assert.deepEqual(written(r), Buffer.from(encodeRecordField(r)));
  }
});

test("records decode to what protobufjs's own encoding decodes to: defaults, UTF-8, large integers, long fields", () => {
  const cases: RequestRecord[] = [
    full(),
    full({ user_id: "", project_id: "", error_code: "", cached_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, stream: false, tags: {} }),
    full({ model: "modèle-日本語-😀", tags: { équipe: "recherche ✓", "a.b-c_d": "" } }),
    full({ prompt_tokens: Number.MAX_SAFE_INTEGER, started_at_ms: 2 ** 40 + 3, status: 0xffffffff, cost_usd: 1e-12 }),
    full({ cost_usd: 0, latency_ms: 0, ttft_ms: 0, attempts: 0, status: 0 }),
    full({ request_id: "r".repeat(127), key_id: "k".repeat(128), team_id: "t".repeat(512), model: "é".repeat(100) }),
    full({ tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`key${i}`, "v".repeat(128)])) }),
  ];
  for (const r of cases) {
    assert.deepEqual(decoded(written(r)), decoded(Buffer.from(encodeRecordField(r))), JSON.stringify(r).slice(0, 80));
  }
});

test("a record that does not fit before the end is refused, and one it cannot encode exactly is left to protobufjs", () => {
  const r = full();
  const size = encodeRecordField(r).length;
  for (const room of [0, 1, 3, 40, size - 1]) assert.equal(writeRecordField(r, Buffer.alloc(room), 0, room), NO_ROOM, `room ${room}`);
  // Lengths are written after their contents, into two reserved bytes: up to two bytes of slack are needed.
  assert.equal(writeRecordField(r, Buffer.alloc(size + 2), 0, size + 2), size);
  for (const bad of [{ prompt_tokens: -1 }, { latency_ms: 1.5 }, { started_at_ms: 2 ** 53 }, { status: 2 ** 32 }, { model: "x".repeat(20_000) }]) {
    assert.equal(writeRecordField(full(bad), Buffer.alloc(1 << 16), 0, 1 << 16), NOT_EXACT, JSON.stringify(bad).slice(0, 40));
  }
});

test("the accumulator spans chunks and falls back to protobufjs for one record without losing or reordering any", () => {
  const acc = new UsageAccumulator(5000, () => undefined);
  const records = Array.from({ length: 1200 }, (_, i) =>
    full({ request_id: `req-${i}-${"x".repeat(i % 90)}`, prompt_tokens: i === 600 ? -5 : i, model: i % 7 === 0 ? "modèle" : "gpt-4o" }),
  );
  for (const r of records) acc.add(r);
  const content = acc.take();
  assert.ok(content !== null);
  assert.ok(content.recordFields.length > 2 * 64 * 1024, "more than two chunks");
  const batch = BATCH.toObject(BATCH.decode(encodeBatch({ sidecar_id: "s", producer_id: "p", seq: 1, created_at_ms: 1 }, content.deltas, content.recordFields)), TO_OBJECT) as {
    records: RequestRecord[];
  };
  assert.equal(batch.records.length, 1200);
  assert.deepEqual(batch.records.map((r) => r.request_id), records.map((r) => r.request_id));
  assert.deepEqual(batch.records[7], decoded(Buffer.from(encodeRecordField(records[7] as RequestRecord)))[0]);
  assert.equal(batch.records[601]?.prompt_tokens, 601);
});

test("the writer refuses a RequestRecord schema it does not match: a field added, retyped or removed", () => {
  const copy = (): protobuf.Type => protobuf.Type.fromJSON("RequestRecord", messageType("RequestRecord").toJSON());
  assert.doesNotThrow(() => fieldKeys(copy()));
  const added = copy().add(new protobuf.Field("region", 25, "string"));
  assert.throws(() => fieldKeys(added), /RequestRecord\.region/);
  const retyped = copy();
  retyped.remove(retyped.fields["latency_ms"] as protobuf.Field).add(new protobuf.Field("latency_ms", 18, "double"));
  assert.throws(() => fieldKeys(retyped), /RequestRecord\.latency_ms/);
  const removed = copy();
  removed.remove(removed.fields["endpoint"] as protobuf.Field);
  assert.throws(() => fieldKeys(removed), /no field endpoint/);
});
