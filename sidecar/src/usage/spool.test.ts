import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SPOOL_FILE, UsageSpool, type SpoolOptions } from "./spool";

function withDir(fn: (options: SpoolOptions) => void): void {
  const dataDir = mkdtempSync(join(tmpdir(), "sidegate-spool-"));
  try {
    fn({ dataDir, fsync: "batch", maxBytes: 1 << 20 });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

let ids = 0;
const newId = (): string => `producer-${++ids}`;

test("a reopened spool continues the same producer and sequence and lists its batches in order", () => {
  withDir((options) => {
    const first = UsageSpool.open(options, newId);
    assert.equal(first.recovery.nextSeq, 1);
    for (let seq = 1; seq <= 3; seq++) first.spool.append(seq, Buffer.from(`batch-${seq}`));
    first.spool.close();

    const again = UsageSpool.open(options, newId);
    assert.equal(again.recovery.producerId, first.recovery.producerId);
    assert.equal(again.recovery.nextSeq, 4);
    assert.deepEqual(again.recovery.batches.map((b) => b.seq), [1, 2, 3]);
    assert.deepEqual(again.recovery.batches.map((b) => again.spool.read(b).toString()), ["batch-1", "batch-2", "batch-3"]);
    again.spool.close();
  });
});

test("a torn tail is cut off and appending continues after the last intact batch", () => {
  withDir((options) => {
    const { spool } = UsageSpool.open(options, newId);
    spool.append(1, Buffer.from("one"));
    spool.append(2, Buffer.from("two"));
    spool.close();
    const path = join(options.dataDir, SPOOL_FILE);
    const intact = statSync(path).size;
    appendFileSync(path, Buffer.from([0, 0, 0, 40, 1, 2, 3, 4, 9, 9])); // a frame header promising 40 bytes, then 2

    const recovered = UsageSpool.open(options, newId);
    assert.equal(recovered.recovery.discardedBytes, 10);
    assert.deepEqual(recovered.recovery.batches.map((b) => b.seq), [1, 2]);
    assert.equal(statSync(path).size, intact);
    recovered.spool.append(3, Buffer.from("three"));
    recovered.spool.close();
    const last = UsageSpool.open(options, newId);
    assert.deepEqual(last.recovery.batches.map((b) => last.spool.read(b).toString()), ["one", "two", "three"]);
    last.spool.close();
  });
});

test("compaction keeps the sequence; a full spool refuses the batch", () => {
  withDir((options) => {
    const { spool, recovery } = UsageSpool.open({ ...options, maxBytes: 240 }, newId);
    assert.ok(spool.append(1, Buffer.alloc(60)));
    assert.ok(spool.append(2, Buffer.alloc(60)));
    assert.equal(spool.append(3, Buffer.alloc(60)), null, "over maxBytes");
    spool.reset(recovery.producerId, 3);
    spool.close();
    const reopened = UsageSpool.open(options, newId);
    assert.equal(reopened.recovery.producerId, recovery.producerId);
    assert.equal(reopened.recovery.nextSeq, 3);
    assert.deepEqual(reopened.recovery.batches, []);
    reopened.spool.close();
  });
});

test("a rewrite keeps only the given batches, readable at their new places, and survives a reopen", () => {
  withDir((options) => {
    const { spool, recovery } = UsageSpool.open(options, newId);
    for (let seq = 1; seq <= 6; seq++) spool.append(seq, Buffer.alloc(2000, seq));
    const before = statSync(join(options.dataDir, SPOOL_FILE)).size;
    const placed = spool.rewrite(recovery.producerId, 7, [
      { seq: 5, encoded: Buffer.alloc(2000, 5) },
      { seq: 6, encoded: Buffer.alloc(2000, 6) },
    ]);
    assert.deepEqual(placed.map((b) => b.seq), [5, 6]);
    assert.deepEqual(placed.map((b) => spool.read(b)[0]), [5, 6]);
    assert.equal(spool.sizeBytes, statSync(join(options.dataDir, SPOOL_FILE)).size);
    assert.ok(spool.sizeBytes < before / 2, `${spool.sizeBytes} of ${before} bytes`);
    spool.append(7, Buffer.from("after the rewrite"));
    spool.close();

    const again = UsageSpool.open(options, newId);
    assert.equal(again.recovery.producerId, recovery.producerId);
    assert.equal(again.recovery.nextSeq, 8);
    assert.deepEqual(again.recovery.batches.map((b) => b.seq), [5, 6, 7]);
    assert.equal(again.spool.read(again.recovery.batches[2] as (typeof again.recovery.batches)[number]).toString(), "after the rewrite");
    again.spool.close();
  });
});
