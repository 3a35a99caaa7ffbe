/**
 * Ships usage batches on one long-lived UsageService.Report bidi stream. Each batch keeps its seq until
 * acked; on stream failure it reconnects with jittered backoff and re-sends every unacked batch in seq
 * order (the control plane dedupes by producer_id + seq). Bounded: when full, the newest batch is dropped.
 */
import { randomUUID } from "node:crypto";
import type { Client, ClientDuplexStream, MethodDefinition } from "@grpc/grpc-js";
import { messageType, serviceDefinition, type ReportAck, type RequestRecord, type UsageBatch } from "../../../proto";
import type { Logger } from "../telemetry/logger";
import type { SidecarMetrics } from "../telemetry/metrics";
import type { Backoff } from "../util/backoff";
import { sidecarMetadata } from "../util/grpc-metadata";
import { closeStream, reconnectLogLevel } from "../util/stream-timers";
import { UsageAccumulator } from "./accumulator";

export interface UsageReporterOptions {
  readonly client: Client;
  readonly sidecarId: string;
  readonly token: string;
  readonly flushMs: number;
  readonly maxRecordsPerBatch: number;
  readonly maxQueuedBatches: number;
  readonly backoff: Backoff;
  readonly logger: Logger;
  readonly metrics: SidecarMetrics;
  /** The records of each newly acknowledged batch (budget spend is no longer "unreported"). */
  readonly onAcked?: (records: readonly RequestRecord[]) => void;
}

const REPORT = serviceDefinition("UsageService")["Report"] as MethodDefinition<UsageBatch, ReportAck>;
const DROP_LOG_EVERY_MS = 10_000;
const USAGE_BATCH = messageType("UsageBatch");

/**
 * Batches are built by this module with exact field types, so they are encoded directly (no verify /
 * fromObject copy of every record, which the generic codec does).
 */
function encodeBatch(batch: UsageBatch): Buffer {
  const bytes = USAGE_BATCH.encode(batch as unknown as Record<string, unknown>).finish();
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
}

export class UsageReporter {
  /** Random per process: this sidecar keeps no spool across restarts yet, so every start is a new sequence. */
  readonly producerId = randomUUID();
  private readonly accumulator: UsageAccumulator;
  private readonly unacked = new Map<number, UsageBatch>();
  private nextSeq = 1;
  private call: ClientDuplexStream<UsageBatch, ReportAck> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private cutScheduled = false;
  private closed = false;
  private drainWaiters: Array<() => void> = [];
  private lastDropLog = 0;
  private failures = 0;

  constructor(private readonly options: UsageReporterOptions) {
    this.accumulator = new UsageAccumulator(options.maxRecordsPerBatch, () => this.scheduleCut());
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
    return this.unacked.size;
  }

  /** Sends what is pending and waits until everything is acked or the deadline passes. True = all acked. */
  async flush(deadlineMs: number): Promise<boolean> {
    while (this.accumulator.size > 0) this.cut();
    if (this.unacked.size === 0) return true;
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

  close(): void {
    this.closed = true;
    closeStream(this.call as ClientDuplexStream<unknown, unknown> | null, this.timer, this.reconnectTimer);
    this.call = null;
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
    if (this.unacked.size >= this.options.maxQueuedBatches) {
      this.options.metrics.usageBatches.inc({ event: "dropped" });
      this.logDrop(content.records.length);
      return;
    }
    const batch: UsageBatch = {
      sidecar_id: this.options.sidecarId,
      producer_id: this.producerId,
      seq: this.nextSeq++,
      created_at_ms: Date.now(),
      records: content.records,
      deltas: content.deltas,
    };
    this.unacked.set(batch.seq, batch);
    this.options.metrics.usageQueue.set(this.unacked.size);
    if (this.call !== null) this.send(this.call, batch);
  }

  private send(call: ClientDuplexStream<UsageBatch, ReportAck>, batch: UsageBatch): void {
    call.write(batch);
    this.options.metrics.usageBatches.inc({ event: "sent" });
  }

  private connect(): void {
    if (this.closed) return;
    const call = this.options.client.makeBidiStreamRequest<UsageBatch, ReportAck>(
      REPORT.path,
      encodeBatch,
      REPORT.responseDeserialize,
      sidecarMetadata(this.options.token, this.options.sidecarId),
    );
    this.call = call;
    call.on("data", (ack: ReportAck) => this.onAck(ack));
    const lost = (err?: Error): void => this.onLost(call, err);
    call.on("error", lost);
    call.on("end", () => lost());
    for (const batch of this.unacked.values()) this.send(call, batch);
  }

  private onAck(ack: ReportAck): void {
    const batch = ack.producer_id === this.producerId ? this.unacked.get(ack.seq) : undefined;
    if (batch === undefined) return;
    this.unacked.delete(ack.seq);
    this.options.onAcked?.(batch.records);
    this.options.backoff.reset();
    this.failures = 0;
    this.options.metrics.usageBatches.inc({ event: ack.duplicate ? "duplicate" : "acked" });
    this.options.metrics.usageQueue.set(this.unacked.size);
    if (this.unacked.size === 0 && this.accumulator.size === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  private onLost(call: ClientDuplexStream<UsageBatch, ReportAck>, err?: Error): void {
    if (this.call !== call) return;
    this.call = null;
    call.cancel();
    if (this.closed) return;
    const delay = this.options.backoff.next();
    this.failures++;
    const level = reconnectLogLevel(this.failures);
    this.options.logger[level](
      { err: err?.message, unacked: this.unacked.size, retryInMs: delay, failures: this.failures },
      "usage report stream lost; reconnecting",
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private logDrop(records: number): void {
    const now = Date.now();
    if (now - this.lastDropLog < DROP_LOG_EVERY_MS) return;
    this.lastDropLog = now;
    this.options.logger.warn({ records, queued: this.unacked.size }, "usage queue full; dropping newest batch");
  }
}
