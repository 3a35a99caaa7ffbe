/**
 * QuotaService.Lease client: one bidi stream; every `renewMs` (and right away when a limit without a lease
 * sees traffic) it reports demand and holdings for every interesting limit and applies the grants. At
 * most one request is outstanding; if its answer is lost with the stream, the sidecar keeps what it held
 * (the control plane counts a shrink only once a later report confirms it). Reconnects with jittered backoff; nothing here is on the
 * request path.
 */
import type { Client, ClientDuplexStream, MethodDefinition } from "@grpc/grpc-js";
import { serviceDefinition, type LeaseDemand, type LeaseRequest, type LeaseResponse, type UsageDelta } from "../../../proto";
import type { Limiter } from "../limiter/limiter";
import type { Logger } from "../telemetry/logger";
import type { SidecarMetrics } from "../telemetry/metrics";
import type { Backoff } from "../util/backoff";
import { sidecarMetadata } from "../util/grpc-metadata";
import { closeStream, reconnectLogLevel } from "../util/stream-timers";

export interface LeaseClientOptions {
  readonly client: Client;
  readonly sidecarId: string;
  readonly token: string;
  readonly limiter: Limiter;
  readonly renewMs: number;
  readonly backoff: Backoff;
  readonly logger: Logger;
  readonly metrics: SidecarMetrics;
  readonly now?: () => number;
}

const LEASE = serviceDefinition("QuotaService")["Lease"] as MethodDefinition<LeaseRequest, LeaseResponse>;

interface Outstanding {
  readonly seq: number;
  readonly sentAtMs: number;
}

export class LeaseClient {
  private call: ClientDuplexStream<LeaseRequest, LeaseResponse> | null = null;
  private up = false;
  private answeredSeq = 0;
  private neededSeq = 0;
  private live = 1;
  private seq = 0;
  private outstanding: Outstanding | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private soon = false;
  private closed = false;
  private failures = 0;
  private lastEarlyMs = Number.NEGATIVE_INFINITY;
  /** A limit without a lease saw traffic and no request has carried that demand yet. */
  private missingPending = false;
  private lastMissingSentMs = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly options: LeaseClientOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.renewMs);
    this.timer.unref();
    this.connect();
  }

  close(): void {
    this.closed = true;
    closeStream(this.call as ClientDuplexStream<unknown, unknown> | null, this.timer, this.reconnectTimer);
    this.call = null;
  }

  /** The limits changed (a new policy): the next request's answer carries their first grants. */
  limitsChanged(): void {
    this.neededSeq = this.seq + 1;
    this.requestSoon();
  }

  /** An answer arrived to a request sent after the last `limitsChanged` (every limit has its first grant). */
  get caughtUp(): boolean {
    return this.answeredSeq >= this.neededSeq;
  }

  /**
   * A budget balance ran short while the budget has more: renew now instead of at the next tick, at most
   * once per quarter renewal interval (every refused request calls this; the control plane must not see
   * one lease request per refusal while the other holders have not given any back yet).
   */
  renewEarly(): void {
    const now = this.now();
    if (now - this.lastEarlyMs < this.earlyGapMs) return;
    this.lastEarlyMs = now;
    this.requestSoon();
  }

  /**
   * A limit without a lease saw traffic (every such request calls this): ask now rather than at the next
   * tick — but at most once per quarter renewal interval, so a limit the control plane keeps answering
   * without a lease (one it does not know yet) is not asked for once per round trip. A wish made while a
   * request is outstanding is sent as soon as its answer arrives, so the first traffic on a new limit is
   * never left waiting for the next tick.
   */
  leaseMissing(): void {
    if (this.missingPending || this.closed) return;
    if (this.now() - this.lastMissingSentMs < this.earlyGapMs) return;
    this.missingPending = true;
    this.requestSoon();
  }

  /** The shortest gap between two requests sent ahead of the renewal tick (renewEarly, leaseMissing). */
  private get earlyGapMs(): number {
    return this.options.renewMs / 4;
  }

  /** Ask now rather than at the next tick. Cheap, coalesced. */
  requestSoon(): void {
    if (this.soon || this.closed) return;
    this.soon = true;
    setImmediate(() => {
      this.soon = false;
      this.send();
    });
  }

  /** Usage batches acknowledged by the control plane: their spend is no longer "unreported". */
  acknowledged(deltas: readonly UsageDelta[]): void {
    const limiter = this.options.limiter;
    for (const d of deltas) {
      if (d.cost_usd <= 0) continue;
      for (const b of limiter.budgetsOf(d.key_id)) b.acknowledged(d.cost_usd);
    }
  }

  get streamUp(): boolean {
    return this.up;
  }

  private tick(): void {
    const now = this.now();
    const o = this.outstanding;
    if (o !== null && now - o.sentAtMs > 5 * this.options.renewMs && this.call !== null) {
      this.options.logger.warn({ seq: o.seq }, "lease answer overdue; reconnecting");
      this.lost(this.call, new Error("lease answer overdue"));
      return;
    }
    this.options.limiter.refreshAll(now, this.up, this.live);
    this.send();
  }

  private send(): void {
    const call = this.call;
    if (call === null || this.outstanding !== null) return;
    const now = this.now();
    const demands: LeaseDemand[] = [];
    for (const cell of this.options.limiter.all()) {
      if (!cell.interesting(now) && !cell.hasLease) continue;
      const d = cell.demand(now);
      demands.push({ limit_key: cell.key, wanted: d.wanted, held: d.held, unreported: d.unreported, reserved: d.reserved, needed: d.needed, min_useful: d.minUseful, release: d.release });
    }
    const seq = ++this.seq;
    this.outstanding = { seq, sentAtMs: now };
    if (this.missingPending) {
      this.missingPending = false;
      this.lastMissingSentMs = now;
    }
    call.write({ sidecar_id: this.options.sidecarId, demands, seq });
    this.options.metrics.leaseRequests.inc();
  }

  private connect(): void {
    if (this.closed) return;
    const call = this.options.client.makeBidiStreamRequest<LeaseRequest, LeaseResponse>(
      LEASE.path,
      LEASE.requestSerialize,
      LEASE.responseDeserialize,
      sidecarMetadata(this.options.token, this.options.sidecarId),
    );
    this.call = call;
    this.outstanding = null;
    call.on("data", (res: LeaseResponse) => this.onResponse(res));
    const lost = (err?: Error): void => this.lost(call, err);
    call.on("error", lost);
    call.on("end", () => lost());
    this.send();
  }

  private onResponse(res: LeaseResponse): void {
    const o = this.outstanding;
    if (o === null || res.seq !== o.seq) return;
    this.outstanding = null;
    this.answeredSeq = res.seq;
    const now = this.now();
    if (!this.up) this.options.backoff.reset();
    this.up = true;
    this.failures = 0;
    this.live = Math.max(1, res.live_sidecars);
    const limiter = this.options.limiter;
    for (const g of res.grants) {
      limiter.get(g.limit_key)?.grant(
        { granted: g.granted, ttlMs: g.ttl_ms, limit: g.limit, fallbackShare: g.fallback_share, remaining: g.remaining, resetInMs: g.reset_in_ms },
        now,
        this.options.renewMs,
      );
    }
    limiter.refreshAll(now, true, this.live);
    if (this.missingPending) this.requestSoon();
  }

  private lost(call: ClientDuplexStream<LeaseRequest, LeaseResponse>, err?: Error): void {
    if (this.call !== call) return;
    this.call = null;
    call.cancel();
    const now = this.now();
    this.outstanding = null;
    this.up = false;
    this.options.limiter.refreshAll(now, false, this.live);
    if (this.closed) return;
    const delay = this.options.backoff.next();
    this.failures++;
    const level = reconnectLogLevel(this.failures);
    this.options.logger[level]({ err: err?.message, retryInMs: delay, failures: this.failures }, "lease stream lost; reconnecting");
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}
