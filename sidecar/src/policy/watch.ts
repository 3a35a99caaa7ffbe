/**
 * PolicyService.Watch client: applies snapshots (and deltas on the held version), keeps the last good
 * index on invalid updates, reconnects with jittered backoff, and reports staleness.
 */
import { status as grpcStatus, type Client, type MethodDefinition, type ClientReadableStream, type ServiceError } from "@grpc/grpc-js";
import { serviceDefinition, type PolicySnapshot, type PolicyUpdate, type WatchRequest } from "../../../proto";
import type { Logger } from "../telemetry/logger";
import type { SidecarMetrics } from "../telemetry/metrics";
import type { Backoff } from "../util/backoff";
import { sidecarMetadata } from "../util/grpc-metadata";
import { InvalidPolicyError, applyDelta, type PolicyIndex } from "./snapshot";
import type { PolicyStore } from "./store";

export type IndexBuilder<T> = (version: number, issuedAtMs: number, snapshot: PolicySnapshot) => PolicyIndex<T>;

export interface PolicyWatchOptions<T> {
  readonly client: Client;
  readonly sidecarId: string;
  readonly sidecarVersion: string;
  readonly token: string;
  readonly store: PolicyStore<T>;
  readonly build: IndexBuilder<T>;
  readonly backoff: Backoff;
  readonly logger: Logger;
  readonly metrics: SidecarMetrics;
  /** Called with every index the control plane sends or confirms (fail-static persistence). */
  readonly onConfirmed?: (index: PolicyIndex<T>) => void;
  /** When the policy already held (a persisted snapshot) was last confirmed; staleness counts from here. */
  readonly confirmedAtMs?: number;
}

const WATCH = serviceDefinition("PolicyService")["Watch"] as MethodDefinition<WatchRequest, PolicyUpdate>;

export class PolicyWatcher<T> {
  private call: ClientReadableStream<PolicyUpdate> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private healthy = false;
  private lastHealthyAt: number;
  private stopped = false;
  private failures = 0;

  constructor(private readonly options: PolicyWatchOptions<T>) {
    this.lastHealthyAt = options.confirmedAtMs ?? Date.now();
  }

  /** True while the Watch stream is up and has delivered at least one update. */
  get connected(): boolean {
    return this.healthy;
  }

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    const call = this.call;
    this.call = null;
    call?.cancel();
  }

  /** Seconds since the stream was last healthy; 0 while it is. */
  stalenessSeconds(now = Date.now()): number {
    return this.healthy ? 0 : (now - this.lastHealthyAt) / 1000;
  }

  private connect(): void {
    if (this.stopped) return;
    const { store } = this.options;
    const request: WatchRequest = {
      sidecar_id: this.options.sidecarId,
      sidecar_version: this.options.sidecarVersion,
      known_version: store.version,
      labels: {},
    };
    const call = this.options.client.makeServerStreamRequest<WatchRequest, PolicyUpdate>(
      WATCH.path,
      WATCH.requestSerialize,
      WATCH.responseDeserialize,
      request,
      sidecarMetadata(this.options.token, this.options.sidecarId),
    );
    this.call = call;
    call.on("data", (update: PolicyUpdate) => this.onUpdate(call, update));
    call.on("error", (err: ServiceError) => this.onLost(call, err));
    call.on("end", () => this.onLost(call, null));
  }

  private onUpdate(call: ClientReadableStream<PolicyUpdate>, update: PolicyUpdate): void {
    if (this.call !== call) return;
    const { store, metrics, logger } = this.options;
    this.markHealthy();
    let snapshot: PolicySnapshot | undefined;
    if (update.body === "snapshot" && update.snapshot !== undefined) {
      if (update.version === store.version && store.current !== null) {
        this.confirm(store.current);
        return;
      }
      snapshot = update.snapshot;
    } else if (update.body === "delta" && update.delta !== undefined) {
      const current = store.current;
      if (current === null || update.delta.base_version !== current.version) {
        metrics.policyUpdates.inc({ result: "resync" });
        logger.info({ held: store.version, base: update.delta.base_version }, "policy delta on another base; resubscribing");
        this.resubscribe(call);
        return;
      }
      snapshot = applyDelta(current.snapshot, update.delta);
    } else {
      metrics.policyUpdates.inc({ result: "rejected" });
      logger.warn({ version: update.version }, "policy update without body ignored");
      return;
    }
    this.apply(update, snapshot);
  }

  private apply(update: PolicyUpdate, snapshot: PolicySnapshot): void {
    const { store, metrics, logger } = this.options;
    try {
      const index = this.options.build(update.version, update.issued_at_ms, snapshot);
      store.set(index, Date.now());
      this.confirm(index);
      metrics.policyUpdates.inc({ result: "applied" });
      metrics.policyVersion.set(index.version);
      for (const warning of index.warnings) logger.warn({ version: index.version }, `policy: ${warning}`);
      logger.info({ version: index.version, keys: index.keys.size, routes: index.routes.size }, "policy applied");
    } catch (err) {
      metrics.policyUpdates.inc({ result: "rejected" });
      const reasons = err instanceof InvalidPolicyError ? err.reasons : [String(err)];
      logger.warn({ version: update.version, held: store.version, reasons }, "policy update rejected; keeping last good");
    }
  }

  private confirm(index: PolicyIndex<T>): void {
    try {
      this.options.onConfirmed?.(index);
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message, version: index.version }, "could not persist the policy snapshot");
    }
  }

  private markHealthy(): void {
    if (!this.healthy) this.options.backoff.reset();
    this.failures = 0;
    this.healthy = true;
    this.lastHealthyAt = Date.now();
  }

  private resubscribe(call: ClientReadableStream<PolicyUpdate>): void {
    this.call = null;
    call.cancel();
    this.connect();
  }

  private onLost(call: ClientReadableStream<PolicyUpdate>, err: ServiceError | null): void {
    if (this.call !== call) return;
    this.call = null;
    if (this.healthy) this.lastHealthyAt = Date.now();
    this.healthy = false;
    if (this.stopped) return;
    const delay = this.options.backoff.next();
    this.failures++;
    const noisy = this.failures === 1 || this.failures % 20 === 0;
    const level = err?.code === grpcStatus.UNAUTHENTICATED ? "error" : noisy ? "warn" : "debug";
    this.options.logger[level]({ code: err?.code, detail: err?.details, retryInMs: delay, failures: this.failures }, "policy watch lost; reconnecting");
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
