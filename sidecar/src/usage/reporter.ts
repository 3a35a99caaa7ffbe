/**
 * Ships usage batches on one long-lived UsageService.Report bidi stream. Each batch gets the next seq of
 * this producer and keeps it until acked; on stream failure the reporter reconnects with jittered backoff
 * and re-sends every unacked batch in seq order (the control plane dedupes by producer_id + seq).
 *
 * With a spool (data dir set), every batch is appended to it when cut, at most `maxResidentBatches` are held
 * in memory, and the rest are read back in order as acks free room; producer_id and seq survive restarts.
 * Without one, at most `maxResidentBatches` unacked batches are kept in memory. Full (spool at its byte
 * cap, or memory window full without a spool) → the newest batch is dropped, counted and logged loudly:
 * blocking instead would make a control-plane outage stall the request path.
 */
import { randomUUID } from "node:crypto";
import { status as grpcStatus, type Client, type ClientDuplexStream, type MethodDefinition, type ServiceError } from "@grpc/grpc-js";
import { serviceDefinition, type ReportAck, type RequestRecord, type UsageBatch, type UsageDelta } from "../../../proto";
import type { Logger } from "../telemetry/logger";
import type { SidecarMetrics } from "../telemetry/metrics";
import type { Backoff } from "../util/backoff";
import { sidecarMetadata } from "../util/grpc-metadata";
import { closeStream, reconnectLogLevel } from "../util/stream-timers";
import { UsageAccumulator } from "./accumulator";
import { countRecords, decodeDeltas, encodeBatch } from "./batch-codec";
import { UsageSpool, type KeptBatch, type SpoolOptions, type SpooledBatch } from "./spool";

export interface UsageReporterOptions {
  readonly client: Client;
  readonly sidecarId: string;
  readonly token: string;
  readonly flushMs: number;
  readonly maxRecordsPerBatch: number;
  /** Unacked batches held in memory (all of them without a spool). */
  readonly maxResidentBatches: number;
  /** Absent = memory only (no data dir). */
  readonly spool?: SpoolOptions;
  /**
   * A spool this big whose unacknowledged batches are at most a quarter of it is rewritten with only those
   * (the control plane acks, but never all at once under sustained load). Default 8 MB.
   */
  readonly spoolRewriteAtBytes?: number;
  readonly backoff: Backoff;
  readonly logger: Logger;
  readonly metrics: SidecarMetrics;
  /** A batch was acknowledged: its spend per (key, model) (budget spend is no longer "unreported"). */
  readonly onAcked?: (deltas: readonly UsageDelta[]) => void;
}

const REPORT = serviceDefinition("UsageService")["Report"] as MethodDefinition<UsageBatch, ReportAck>;
const DROP_LOG_EVERY_MS = 10_000;
/** Compact the spool at most this often (each compaction is a write + fsync + rename). */
const COMPACT_EVERY_MS = 1000;
const DEFAULT_REWRITE_AT_BYTES = 8 * 1024 * 1024;
/** A rewrite copies the unacked batches; beyond this it waits for more acks instead. */
const MAX_REWRITE_COPY_BYTES = 64 * 1024 * 1024;
const passThrough = (bytes: Buffer): Buffer => bytes;

export class UsageReporter {
  readonly producerId: string;
  private readonly accumulator: UsageAccumulator;
  private readonly spool: UsageSpool | null;
  /** Encoded unacked batches held in memory, in seq order. */
  private readonly resident = new Map<number, Buffer>();
  /** Spooled batches not yet resident, in seq order (`spilledHead` = next one to load). */
  private spilled: SpooledBatch[] = [];
  private spilledHead = 0;
  private spooledSinceCompact = 0;
  private lastCompactAt = 0;
  private nextSeq = 1;
  private call: ClientDuplexStream<Buffer, ReportAck> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private cutScheduled = false;
  private closed = false;
  private drainWaiters: Array<() => void> = [];
  private lastDropLog = 0;
  private failures = 0;

  constructor(private readonly options: UsageReporterOptions) {
    this.accumulator = new UsageAccumulator(options.maxRecordsPerBatch, () => this.scheduleCut());
    if (options.spool === undefined) {
      this.spool = null;
      this.producerId = randomUUID();
      return;
    }
    const { spool, recovery } = UsageSpool.open(options.spool, randomUUID);
    this.spool = spool;
    this.producerId = recovery.producerId;
    this.nextSeq = recovery.nextSeq;
    this.spilled = [...recovery.batches];
    this.spooledSinceCompact = this.spilled.length;
    if (recovery.batches.length > 0 || recovery.discardedBytes > 0) {
      options.logger.info(
        { batches: recovery.batches.length, nextSeq: recovery.nextSeq, discardedTailBytes: recovery.discardedBytes },
        "usage spool recovered; replaying unacknowledged batches in order",
      );
    }
    this.promote();
  }

  start(): void {
    this.timer = setInterval(() => this.cut(), this.options.flushMs);
    this.timer.unref();
    this.connect();
  }

  /** Hot path: O(1), never blocks or throws. */
  record(record: RequestRecord): void {
    if (!this.closed) this.accumulator.add(record);
  }

  get unackedCount(): number {
    return this.resident.size + this.spilled.length - this.spilledHead;
  }

  /** Sends what is pending and waits until everything is acked or the deadline passes. True = all acked. */
  async flush(deadlineMs: number): Promise<boolean> {
    while (this.accumulator.size > 0) this.cut();
    if (this.unackedCount === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.drainWaiters = this.drainWaiters.filter((w) => w !== done);
        resolve(false);
      }, deadlineMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.drainWaiters.push(done);
    });
  }

  /** Stops sending. Records not yet cut are cut into the spool first; the spool is synced and closed. */
  close(): void {
    if (this.closed) return;
    while (this.accumulator.size > 0 && this.spool !== null) this.cut();
    this.closed = true;
    closeStream(this.call as ClientDuplexStream<unknown, unknown> | null, this.timer, this.reconnectTimer);
    this.call = null;
    if (this.spool !== null) {
      if (this.unackedCount === 0) this.compact();
      this.spool.close();
    }
  }

  private scheduleCut(): void {
    if (this.cutScheduled) return;
    this.cutScheduled = true;
    setImmediate(() => {
      this.cutScheduled = false;
      this.cut();
    });
  }

  private cut(): void {
    const content = this.accumulator.take();
    if (content === null) return;
    const seq = this.nextSeq;
    const encoded = encodeBatch(
      { sidecar_id: this.options.sidecarId, producer_id: this.producerId, seq, created_at_ms: Date.now() },
      content.deltas,
      content.recordFields,
    );
    const roomInMemory = this.resident.size < this.options.maxResidentBatches && this.spilledHead === this.spilled.length;
    if (this.spool !== null) {
      const spooled = this.appendToSpool(seq, encoded);
      if (spooled === "full" || (spooled === "failed" && !roomInMemory)) return this.drop(content.count);
      this.nextSeq++;
      if (spooled !== "failed") this.spooledSinceCompact++;
      if (roomInMemory) this.admit(seq, encoded);
      else if (spooled !== "failed") this.spilled.push(spooled);
    } else {
      if (!roomInMemory) return this.drop(content.count);
      this.nextSeq++;
      this.admit(seq, encoded);
    }
    this.options.metrics.usageQueue.set(this.unackedCount);
  }

  private appendToSpool(seq: number, encoded: Buffer): SpooledBatch | "full" | "failed" {
    const spool = this.spool as UsageSpool;
    try {
      const spooled = spool.append(seq, encoded);
      this.options.metrics.usageSpoolBytes.set(spool.sizeBytes);
      return spooled ?? "full";
    } catch (err) {
      this.options.logger.error({ err: (err as Error).message, seq }, "usage spool write failed; keeping the batch in memory only");
      return "failed";
    }
  }

  private admit(seq: number, encoded: Buffer): void {
    this.resident.set(seq, encoded);
    if (this.call !== null) this.send(this.call, encoded);
  }

  /** Loads spilled batches into memory (and onto the stream) while there is room. */
  private promote(): void {
    const spool = this.spool;
    if (spool === null) return;
    while (this.resident.size < this.options.maxResidentBatches && this.spilledHead < this.spilled.length) {
      const next = this.spilled[this.spilledHead++] as SpooledBatch;
      this.admit(next.seq, spool.read(next));
    }
    if (this.spilledHead === this.spilled.length && this.spilledHead > 0) {
      this.spilled = [];
      this.spilledHead = 0;
    }
  }

  private send(call: ClientDuplexStream<Buffer, ReportAck>, encoded: Buffer): void {
    call.write(encoded);
    this.options.metrics.usageBatches.inc({ event: "sent" });
  }

  private connect(): void {
    if (this.closed) return;
    const call = this.options.client.makeBidiStreamRequest<Buffer, ReportAck>(
      REPORT.path,
      passThrough,
      REPORT.responseDeserialize,
      sidecarMetadata(this.options.token, this.options.sidecarId),
    );
    this.call = call;
    call.on("data", (ack: ReportAck) => this.onAck(ack));
    const lost = (err?: ServiceError): void => this.onLost(call, err);
    call.on("error", lost);
    call.on("end", () => lost());
    for (const encoded of this.resident.values()) this.send(call, encoded);
  }

  private onAck(ack: ReportAck): void {
    if (ack.producer_id !== this.producerId) return;
    const encoded = this.resident.get(ack.seq);
    if (encoded === undefined || !this.resident.delete(ack.seq)) return;
    // Only the per-(key, model) deltas are read back (not every record): what the lease client needs.
    if (this.options.onAcked !== undefined) this.options.onAcked(decodeDeltas(encoded));
    this.options.backoff.reset();
    this.failures = 0;
    this.options.metrics.usageBatches.inc({ event: ack.duplicate ? "duplicate" : "acked" });
    this.promote();
    this.options.metrics.usageQueue.set(this.unackedCount);
    if (this.unackedCount === 0) this.maybeCompact();
    else this.maybeRewrite();
    if (this.unackedCount === 0 && this.accumulator.size === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  private maybeCompact(): void {
    if (this.spool === null || this.spool.replacing || this.spooledSinceCompact === 0) return;
    if (Date.now() - this.lastCompactAt < COMPACT_EVERY_MS && this.spool.sizeBytes < 1024 * 1024) return;
    this.replaceSpool([]);
  }

  /**
   * Under sustained load some batch is always in flight, so the spool never empties and a compaction at
   * zero unacked never comes: without this the file would grow with acknowledged batches until its cap,
   * and then new usage would be dropped. Rewrites it with only the unacked batches once they are a small
   * part of it.
   */
  private maybeRewrite(): void {
    const spool = this.spool;
    if (spool === null || spool.replacing || Date.now() - this.lastCompactAt < COMPACT_EVERY_MS) return;
    if (spool.sizeBytes < (this.options.spoolRewriteAtBytes ?? DEFAULT_REWRITE_AT_BYTES)) return;
    let keptBytes = 0;
    for (const encoded of this.resident.values()) keptBytes += encoded.length;
    for (let i = this.spilledHead; i < this.spilled.length; i++) keptBytes += (this.spilled[i] as SpooledBatch).length;
    if (keptBytes * 4 > spool.sizeBytes || keptBytes > MAX_REWRITE_COPY_BYTES) return;
    // Resident batches precede spilled ones in seq order (new cuts go to memory only when none is spilled).
    const kept: KeptBatch[] = [];
    for (const [seq, encoded] of this.resident) kept.push({ seq, encoded });
    try {
      for (let i = this.spilledHead; i < this.spilled.length; i++) {
        const batch = this.spilled[i] as SpooledBatch;
        kept.push({ seq: batch.seq, encoded: spool.read(batch) });
      }
    } catch (err) {
      this.lastCompactAt = Date.now();
      this.options.logger.error({ err: (err as Error).message }, "usage spool rewrite failed; will retry");
      return;
    }
    this.replaceSpool(kept);
  }

  /**
   * Starts replacing the spool file with `kept` (see UsageSpool.replace: its fsync runs off the event loop).
   * When it lands, spilled batches are pointed at their new places: kept ones where they were written,
   * ones cut meanwhile shifted with the carried tail.
   */
  private replaceSpool(kept: readonly KeptBatch[]): void {
    const spool = this.spool as UsageSpool;
    this.lastCompactAt = Date.now();
    const spooledBefore = this.spooledSinceCompact;
    const started = spool.replace(this.producerId, this.nextSeq, kept, (result) => {
      if (result instanceof Error) {
        this.options.logger.error({ err: result.message }, "usage spool compaction failed; will retry");
        return;
      }
      const moved = new Map<number, SpooledBatch>();
      for (const b of result.placed) moved.set(b.seq, b);
      const next: SpooledBatch[] = [];
      for (let i = this.spilledHead; i < this.spilled.length; i++) {
        const b = this.spilled[i] as SpooledBatch;
        const placed = moved.get(b.seq);
        if (placed !== undefined) next.push(placed);
        else if (b.offset >= result.carriedFrom) next.push({ seq: b.seq, offset: b.offset + result.shift, length: b.length });
        // Cannot happen (a spilled batch was either spilled at the start, so kept, or cut since, so carried);
        // should it, the batch is gone from the file and counting it as dropped is the honest answer.
        else this.options.logger.error({ seq: b.seq }, "usage spool: a spilled batch was neither kept nor carried; dropped");
      }
      this.spilled = next;
      this.spilledHead = 0;
      this.spooledSinceCompact = kept.length + (this.spooledSinceCompact - spooledBefore);
      this.options.metrics.usageSpoolBytes.set(spool.sizeBytes);
    });
    if (!started) this.lastCompactAt = 0;
  }

  /** Shutdown: everything is acknowledged, so the file becomes a bare META frame (synchronously). */
  private compact(): void {
    if (this.spool === null || this.spooledSinceCompact === 0) return;
    try {
      this.spool.reset(this.producerId, this.nextSeq);
      this.spooledSinceCompact = 0;
      this.options.metrics.usageSpoolBytes.set(this.spool.sizeBytes);
    } catch (err) {
      this.options.logger.error({ err: (err as Error).message }, "usage spool compaction failed; will retry");
    }
  }

  private onLost(call: ClientDuplexStream<Buffer, ReportAck>, err?: ServiceError): void {
    if (this.call !== call) return;
    this.call = null;
    call.cancel();
    if (this.closed) return;
    if (err?.code === grpcStatus.INVALID_ARGUMENT) this.setAsideRejected(err.details);
    const delay = this.options.backoff.next();
    this.failures++;
    const level = reconnectLogLevel(this.failures);
    this.options.logger[level](
      { err: err?.message, unacked: this.unackedCount, retryInMs: delay, failures: this.failures },
      "usage report stream lost; reconnecting",
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  /**
   * The control plane handles batches in order and acks each one, so the batch it rejected as invalid is the
   * oldest unacked one. Re-sending it would wedge the stream forever: it is dropped (loudly) instead.
   */
  private setAsideRejected(details: string): void {
    const oldest = this.resident.keys().next();
    if (oldest.done === true) return;
    const encoded = this.resident.get(oldest.value) as Buffer;
    this.resident.delete(oldest.value);
    const records = countRecords(encoded);
    this.options.metrics.usageBatches.inc({ event: "rejected" });
    this.options.metrics.usageDroppedRecords.inc(records);
    this.options.logger.error({ seq: oldest.value, records, details }, "usage batch rejected by the control plane as invalid; dropped");
    this.promote();
    this.options.metrics.usageQueue.set(this.unackedCount);
  }

  private drop(records: number): void {
    this.options.metrics.usageBatches.inc({ event: "dropped" });
    this.options.metrics.usageDroppedRecords.inc(records);
    const now = Date.now();
    if (now - this.lastDropLog < DROP_LOG_EVERY_MS) return;
    this.lastDropLog = now;
    const where = this.spool === null ? "in-memory usage queue" : "usage spool";
    this.options.logger.error(
      { records, unacked: this.unackedCount, spoolBytes: this.spool?.sizeBytes ?? 0 },
      `${where} full; dropping the newest usage batch (the control plane is not acknowledging)`,
    );
  }
}
