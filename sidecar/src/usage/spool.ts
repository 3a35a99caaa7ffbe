/**
 * Append-only usage spool in the data dir: every cut batch is appended (so a SIGKILL loses nothing that was
 * cut), the in-memory queue holds only a bounded resident window, and the rest is read back from here.
 * Layout: a META frame (producer id + next seq, so a restart continues the same sequence) followed by BATCH
 * frames (seq + encoded UsageBatch) in seq order. Once every batch is acknowledged the file is replaced
 * atomically by a fresh META frame (compaction); while some are not, it may be rewritten with only those
 * (when acknowledged batches fill most of it). See spool-frame.ts for the framing and torn-tail rule.
 *
 * A replacement while the sidecar serves (`replace`) keeps fsync off the event loop: the new file is
 * written beside the old one, fdatasync'd on the thread pool, and only then renamed over it, with the
 * batches appended in the meantime copied to its end first (they move by a fixed `shift`). Until the
 * rename the old file is complete on its own, so a crash at any point loses nothing that was cut.
 */
import { close, closeSync, existsSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, renameSync, unlink } from "node:fs";
import { dirname, join } from "node:path";
import { syncDirAsync, writeAll, writeFileAtomic } from "../persist/atomic-file";
import { FRAME_HEADER_BYTES, encodeFrame, scanFrames } from "./spool-frame";

export const SPOOL_FILE = "usage.spool";
export type FsyncPolicy = "batch" | "interval" | "none";
const FSYNC_INTERVAL_MS = 1000;
const KIND_META = 1;
const KIND_BATCH = 2;
/** kind (1) + seq (8) before the encoded batch. */
const BATCH_PREFIX = 9;

export interface SpoolOptions {
  readonly dataDir: string;
  readonly fsync: FsyncPolicy;
  readonly maxBytes: number;
}

/** A batch to carry over into a rewritten spool. */
export interface KeptBatch {
  readonly seq: number;
  readonly encoded: Uint8Array;
}

/** Where one batch's encoded bytes live in the spool. */
export interface SpooledBatch {
  readonly seq: number;
  readonly offset: number;
  readonly length: number;
}

/** What a finished `replace` moved. */
export interface Replacement {
  /** Where each kept batch now lives, in the order given. */
  readonly placed: readonly SpooledBatch[];
  /** Added to the offset of every batch appended while the replacement was written (they were carried over). */
  readonly shift: number;
  /** Offsets at or past this (in the old file) belong to batches appended while it was written. */
  readonly carriedFrom: number;
}

interface PendingReplacement {
  readonly temp: string;
  readonly fd: number;
  /** The old file's size when the replacement was written: what was appended after it is carried over. */
  readonly base: number;
  readonly keptEnd: number;
  readonly placed: SpooledBatch[];
  /** Set by a synchronous reset or close: its file is removed when its fsync returns, nothing else. */
  abandoned: boolean;
}

export interface SpoolRecovery {
  readonly producerId: string;
  readonly nextSeq: number;
  /** Batches found in the file, in seq order (some may have been acked before a crash: the CP dedupes). */
  readonly batches: readonly SpooledBatch[];
  /** Bytes of a torn or corrupt tail that were cut off. */
  readonly discardedBytes: number;
}

function metaFrame(producerId: string, nextSeq: number): Buffer {
  const json = Buffer.from(JSON.stringify({ producer_id: producerId, next_seq: nextSeq }));
  return encodeFrame(Buffer.concat([Buffer.of(KIND_META), json]));
}

function parseMeta(payload: Buffer): { producerId: string; nextSeq: number } | null {
  if (payload[0] !== KIND_META) return null;
  try {
    const meta = JSON.parse(payload.subarray(1).toString("utf8")) as { producer_id?: unknown; next_seq?: unknown };
    if (typeof meta.producer_id !== "string" || meta.producer_id === "") return null;
    if (typeof meta.next_seq !== "number" || !Number.isSafeInteger(meta.next_seq) || meta.next_seq < 1) return null;
    return { producerId: meta.producer_id, nextSeq: meta.next_seq };
  } catch {
    return null;
  }
}

function batchFrame(seq: number, encoded: Uint8Array): Buffer {
  const payload = Buffer.allocUnsafe(BATCH_PREFIX + encoded.length);
  payload[0] = KIND_BATCH;
  payload.writeBigUInt64BE(BigInt(seq), 1);
  payload.set(encoded, BATCH_PREFIX);
  return encodeFrame(payload);
}

/** A META frame followed by the kept batches' frames, and where each batch's bytes land. */
function replacementBytes(producerId: string, nextSeq: number, kept: readonly KeptBatch[]): { bytes: Buffer; placed: SpooledBatch[] } {
  const frames: Buffer[] = [metaFrame(producerId, nextSeq)];
  const placed: SpooledBatch[] = [];
  let offset = (frames[0] as Buffer).length;
  for (const batch of kept) {
    const frame = batchFrame(batch.seq, batch.encoded);
    placed.push({ seq: batch.seq, offset: offset + FRAME_HEADER_BYTES + BATCH_PREFIX, length: batch.encoded.length });
    frames.push(frame);
    offset += frame.length;
  }
  return { bytes: Buffer.concat(frames, offset), placed };
}

export class UsageSpool {
  private fd: number;
  private size: number;
  private dirty = false;
  private closed = false;
  private pending: PendingReplacement | null = null;
  private readonly timer: NodeJS.Timeout | null;
  private readonly path: string;

  private constructor(private readonly options: SpoolOptions, fd: number, size: number) {
    this.path = join(options.dataDir, SPOOL_FILE);
    this.fd = fd;
    this.size = size;
    this.timer = options.fsync === "interval" ? setInterval(() => this.syncIfDirty(), FSYNC_INTERVAL_MS) : null;
    this.timer?.unref();
  }

  /** Opens (or creates) the spool and recovers what it holds. `newProducerId` is used for a fresh spool. */
  static open(options: SpoolOptions, newProducerId: () => string): { spool: UsageSpool; recovery: SpoolRecovery } {
    const path = join(options.dataDir, SPOOL_FILE);
    const fresh = (discardedBytes: number): { spool: UsageSpool; recovery: SpoolRecovery } => {
      const producerId = newProducerId();
      const meta = metaFrame(producerId, 1);
      writeFileAtomic(path, meta);
      const spool = new UsageSpool(options, openSync(path, "r+"), meta.length);
      return { spool, recovery: { producerId, nextSeq: 1, batches: [], discardedBytes } };
    };
    if (!existsSync(path)) return fresh(0);
    const fd = openSync(path, "r+");
    const fileSize = fstatSync(fd).size;
    const readAt = (position: number, length: number): Buffer => {
      const buf = Buffer.allocUnsafe(length);
      const n = readSync(fd, buf, 0, length, position);
      return n === length ? buf : buf.subarray(0, n);
    };
    const { frames, end } = scanFrames(readAt, fileSize);
    let meta = frames[0] === undefined ? null : parseMeta(frames[0].payload);
    const batches: SpooledBatch[] = [];
    for (const frame of frames) {
      if (frame.payload[0] !== KIND_BATCH || frame.payload.length < BATCH_PREFIX) continue;
      const seq = Number(frame.payload.readBigUInt64BE(1));
      const last = batches[batches.length - 1];
      if (last !== undefined && seq <= last.seq) continue;
      batches.push({ seq, offset: frame.offset + FRAME_HEADER_BYTES + BATCH_PREFIX, length: frame.payload.length - BATCH_PREFIX });
    }
    const maxSeq = batches[batches.length - 1]?.seq ?? 0;
    if (meta === null) {
      // Unreadable header: a fresh sequence is the only safe choice (old seqs may already be acked).
      closeSync(fd);
      return fresh(fileSize);
    }
    if (end < fileSize) ftruncateSync(fd, end);
    meta = { producerId: meta.producerId, nextSeq: Math.max(meta.nextSeq, maxSeq + 1) };
    const spool = new UsageSpool(options, fd, end);
    return { spool, recovery: { ...meta, batches, discardedBytes: fileSize - end } };
  }

  get sizeBytes(): number {
    return this.size;
  }

  /** Appends one encoded batch; null when the spool is at `maxBytes` (the caller applies the full policy). */
  append(seq: number, encoded: Uint8Array): SpooledBatch | null {
    const frame = batchFrame(seq, encoded);
    if (this.size + frame.length > this.options.maxBytes) return null;
    const offset = this.size;
    try {
      writeAll(this.fd, frame, offset);
    } catch (err) {
      // Never leave a torn frame in the middle of the file: later frames would be unreachable on recovery.
      try {
        ftruncateSync(this.fd, offset);
      } catch {
        // the scan on the next start stops at the torn frame; nothing after it was acknowledged as spooled
      }
      throw err;
    }
    this.size += frame.length;
    this.dirty = true;
    if (this.options.fsync === "batch") this.syncAsync();
    return { seq, offset: offset + FRAME_HEADER_BYTES + BATCH_PREFIX, length: encoded.length };
  }

  read(batch: SpooledBatch): Buffer {
    const buf = Buffer.allocUnsafe(batch.length);
    const n = readSync(this.fd, buf, 0, batch.length, batch.offset);
    if (n !== batch.length) throw new Error(`usage spool short read at ${batch.offset}`);
    return buf;
  }

  /** Compaction once everything is acknowledged, synchronously (shutdown): the file becomes a META frame. */
  reset(producerId: string, nextSeq: number): void {
    this.abandonPending();
    const { bytes } = replacementBytes(producerId, nextSeq, []);
    writeFileAtomic(this.path, bytes);
    this.adopt(openSync(this.path, "r+"), bytes.length);
  }

  /** True while a `replace` is being written (appends and reads go on; another replace is refused). */
  get replacing(): boolean {
    return this.pending !== null;
  }

  /**
   * Compaction while the sidecar serves: replaces the file with a META frame and the `kept` batches (in seq
   * order; none once every batch is acknowledged), so acknowledged batches stop taking room. `done` gets
   * where things moved, in the same tick as the switch, or the error (the old file then stays in place).
   * False (and `done` is not called) when a replacement is already pending or the spool is closed.
   */
  replace(producerId: string, nextSeq: number, kept: readonly KeptBatch[], done: (result: Replacement | Error) => void): boolean {
    if (this.pending !== null || this.closed) return false;
    const { bytes, placed } = replacementBytes(producerId, nextSeq, kept);
    const temp = `${this.path}.replacing-${process.pid}`;
    let fd: number;
    try {
      fd = openSync(temp, "w+", 0o600);
    } catch (err) {
      queueMicrotask(() => done(err as Error));
      return true;
    }
    const pending: PendingReplacement = { temp, fd, base: this.size, keptEnd: bytes.length, placed, abandoned: false };
    this.pending = pending;
    const fail = (err: Error): void => {
      if (this.pending === pending) this.pending = null;
      close(fd, () => unlink(temp, () => undefined));
      if (!pending.abandoned) done(err);
    };
    try {
      writeAll(fd, bytes, 0);
    } catch (err) {
      queueMicrotask(() => fail(err as Error));
      return true;
    }
    fdatasync(fd, (err) => {
      if (err !== null) return fail(err);
      if (pending.abandoned) return fail(new Error("usage spool replacement abandoned"));
      try {
        this.switchTo(pending);
      } catch (switchErr) {
        return fail(switchErr as Error);
      }
      done({ placed, shift: pending.keptEnd - pending.base, carriedFrom: pending.base });
    });
    return true;
  }

  /** Carries the batches appended since `pending` was written over, renames it into place, and adopts it. */
  private switchTo(pending: PendingReplacement): void {
    const carried = this.size - pending.base;
    if (carried > 0) {
      const tail = Buffer.allocUnsafe(carried);
      const n = readSync(this.fd, tail, 0, carried, pending.base);
      if (n !== carried) throw new Error(`usage spool short read at ${pending.base}`);
      writeAll(pending.fd, tail, pending.keptEnd);
    }
    renameSync(pending.temp, this.path);
    this.pending = null;
    this.adopt(pending.fd, pending.keptEnd + carried);
    syncDirAsync(dirname(this.path));
    // The carried batches are as durable as freshly appended ones: synced by the policy, not yet on disk.
    if (carried > 0 && this.options.fsync !== "none") {
      this.dirty = true;
      this.syncAsync();
    }
  }

  /** A pending replacement removes its file when its fsync returns; the current file stays as it is. */
  private abandonPending(): void {
    if (this.pending === null) return;
    this.pending.abandoned = true;
    this.pending = null;
  }

  private adopt(fd: number, size: number): void {
    const old = this.fd;
    this.fd = fd;
    this.size = size;
    this.dirty = false;
    try {
      closeSync(old);
    } catch {
      // already gone: nothing refers to it any more
    }
  }

  /** fdatasync now (shutdown, or before acknowledging a drain). */
  sync(): void {
    if (!this.dirty) return;
    this.dirty = false;
    fdatasyncSync(this.fd);
  }

  close(): void {
    this.closed = true;
    this.abandonPending();
    if (this.timer !== null) clearInterval(this.timer);
    if (this.options.fsync !== "none") this.sync();
    closeSync(this.fd);
  }

  private syncAsync(): void {
    this.dirty = false;
    // A racing reset()/close() may close this fd first; the next frame's sync (or close) covers it then.
    fdatasync(this.fd, () => undefined);
  }

  private syncIfDirty(): void {
    if (this.dirty) this.syncAsync();
  }
}
