/**
 * Append-only usage spool in the data dir: every cut batch is appended (so a SIGKILL loses nothing that was
 * cut), the in-memory queue holds only a bounded resident window, and the rest is read back from here.
 * Layout: a META frame (producer id + next seq, so a restart continues the same sequence) followed by BATCH
 * frames (seq + encoded UsageBatch) in seq order. Once every batch is acknowledged the file is replaced
 * atomically by a fresh META frame (compaction); while some are not, it may be rewritten with only those
 * (when acknowledged batches fill most of it). See spool-frame.ts for the framing and torn-tail rule.
 */
import { closeSync, existsSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../persist/atomic-file";
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

export class UsageSpool {
  private fd: number;
  private size: number;
  private dirty = false;
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
    let written = 0;
    try {
      while (written < frame.length) written += writeSync(this.fd, frame, written, frame.length - written, offset + written);
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

  /** Compaction once everything is acknowledged: atomically replace the file with a META frame. */
  reset(producerId: string, nextSeq: number): void {
    this.rewrite(producerId, nextSeq, []);
  }

  /**
   * Compaction while batches are still unacknowledged: atomically replace the file with a META frame and
   * the `kept` batches (in seq order), so acknowledged batches stop taking room. Returns where each kept
   * batch now lives. On failure the old file stays in place, unchanged.
   */
  rewrite(producerId: string, nextSeq: number, kept: readonly KeptBatch[]): SpooledBatch[] {
    const frames: Buffer[] = [metaFrame(producerId, nextSeq)];
    const placed: SpooledBatch[] = [];
    let offset = (frames[0] as Buffer).length;
    for (const batch of kept) {
      const frame = batchFrame(batch.seq, batch.encoded);
      placed.push({ seq: batch.seq, offset: offset + FRAME_HEADER_BYTES + BATCH_PREFIX, length: batch.encoded.length });
      frames.push(frame);
      offset += frame.length;
    }
    writeFileAtomic(this.path, Buffer.concat(frames, offset));
    const old = this.fd;
    this.fd = openSync(this.path, "r+");
    this.size = offset;
    this.dirty = false;
    closeSync(old);
    return placed;
  }

  /** fdatasync now (shutdown, or before acknowledging a drain). */
  sync(): void {
    if (!this.dirty) return;
    this.dirty = false;
    fdatasyncSync(this.fd);
  }

  close(): void {
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
