import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SPOOL_FILE, UsageSpool, type KeptBatch, type Replacement, type SpoolOptions, type SpooledBatch } from "./spool";
import { scanFrames } from "./spool-frame";

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

/** `spool.replace` as a promise (it must start: nothing else is pending in these tests). */
function replaced(spool: UsageSpool, producerId: string, nextSeq: number, kept: readonly KeptBatch[]): Promise<Replacement> {
  return new Promise((resolve, reject) => {
    const started = spool.replace(producerId, nextSeq, kept, (r) => (r instanceof Error ? reject(r) : resolve(r)));
    if (!started) reject(new Error("replace refused"));
  });
}

async function withDirAsync(fn: (options: SpoolOptions) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "sidegate-spool-"));
  try {
    await fn({ dataDir, fsync: "batch", maxBytes: 1 << 20 });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test("a replacement keeps only the given batches, readable at their new places, and survives a reopen", async () => {
  await withDirAsync(async (options) => {
    const { spool, recovery } = UsageSpool.open(options, newId);
    for (let seq = 1; seq <= 6; seq++) spool.append(seq, Buffer.alloc(2000, seq));
    const before = statSync(join(options.dataDir, SPOOL_FILE)).size;
    const r = await replaced(spool, recovery.producerId, 7, [
      { seq: 5, encoded: Buffer.alloc(2000, 5) },
      { seq: 6, encoded: Buffer.alloc(2000, 6) },
    ]);
    assert.deepEqual(r.placed.map((b) => b.seq), [5, 6]);
    assert.deepEqual(r.placed.map((b) => spool.read(b)[0]), [5, 6]);
    assert.equal(spool.sizeBytes, statSync(join(options.dataDir, SPOOL_FILE)).size);
    assert.ok(spool.sizeBytes < before / 2, `${spool.sizeBytes} of ${before} bytes`);
    assert.deepEqual(readdirSync(options.dataDir), [SPOOL_FILE], "no temp file left");
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

test("batches appended while a replacement is written are carried over, shifted, and the old file stays complete until the switch", async () => {
  await withDirAsync(async (options) => {
    const { spool, recovery } = UsageSpool.open(options, newId);
    for (let seq = 1; seq <= 4; seq++) spool.append(seq, Buffer.alloc(1000, seq));
    const pending = replaced(spool, recovery.producerId, 5, [{ seq: 4, encoded: Buffer.alloc(1000, 4) }]);
    assert.equal(spool.replacing, true);
    assert.equal(spool.replace(recovery.producerId, 5, [], () => assert.fail("a second replace must not run")), false);
    const late5 = spool.append(5, Buffer.from("cut while replacing: five")) as SpooledBatch;
    const late6 = spool.append(6, Buffer.from("cut while replacing: six")) as SpooledBatch;
    assert.equal(spool.read(late5).toString(), "cut while replacing: five", "readable in the old file meanwhile");

    // A crash now: the file on disk is still the old one, with every batch.
    const onFile = readFileSync(join(options.dataDir, SPOOL_FILE));
    const onDisk = scanFrames((position, length) => onFile.subarray(position, position + length), onFile.length);
    assert.equal(onDisk.frames.length, 1 + 6, "META + six batches");

    const r = await pending;
    assert.equal(spool.replacing, false);
    assert.ok(late5.offset >= r.carriedFrom && late6.offset >= r.carriedFrom);
    assert.equal(spool.read({ ...late5, offset: late5.offset + r.shift }).toString(), "cut while replacing: five");
    assert.equal(spool.read({ ...late6, offset: late6.offset + r.shift }).toString(), "cut while replacing: six");
    assert.equal(spool.read(r.placed[0] as SpooledBatch)[0], 4);
    spool.append(7, Buffer.from("after"));
    spool.close();

    const again = UsageSpool.open(options, newId);
    assert.deepEqual(again.recovery.batches.map((b) => b.seq), [4, 5, 6, 7]);
    assert.deepEqual(again.recovery.batches.slice(1).map((b) => again.spool.read(b).toString()), ["cut while replacing: five", "cut while replacing: six", "after"]);
    assert.equal(again.recovery.nextSeq, 8);
    again.spool.close();
  });
});

test("closing during a replacement keeps the old file whole and removes the unfinished one", async () => {
  await withDirAsync(async (options) => {
    const { spool, recovery } = UsageSpool.open(options, newId);
    for (let seq = 1; seq <= 3; seq++) spool.append(seq, Buffer.from(`batch-${seq}`));
    let called = false;
    assert.ok(spool.replace(recovery.producerId, 4, [], () => (called = true)));
    spool.append(4, Buffer.from("batch-4"));
    spool.close();
    for (let i = 0; i < 50 && readdirSync(options.dataDir).length > 1; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(called, false, "no result for a closed spool");
    assert.deepEqual(readdirSync(options.dataDir), [SPOOL_FILE]);
    const again = UsageSpool.open(options, newId);
    assert.deepEqual(again.recovery.batches.map((b) => again.spool.read(b).toString()), ["batch-1", "batch-2", "batch-3", "batch-4"]);
    again.spool.close();
  });
});
