/**
 * One limit as this sidecar enforces it: the local structure (token bucket, concurrency gauge or budget
 * balance) sized by the capacity lease the control plane granted, or by the fail mode when there is none.
 * Pure: time is passed in. Built once per limit key and kept across policy snapshots while the key exists.
 */
import { countText } from "./duration-text";
import type { FailMode, LimitKind } from "./fail-mode";
import { TokenBucket } from "./token-bucket";

/** What the control plane answered for one limit (see quota.proto LeaseGrant). */
export interface LeaseGrantView {
  readonly granted: number;
  readonly ttlMs: number;
  readonly limit: number;
  readonly fallbackShare: number;
  readonly remaining: number;
  readonly resetInMs: number;
}

/** What this sidecar tells the control plane about one limit (see quota.proto LeaseDemand). */
export interface DemandView {
  readonly wanted: number;
  /** Budgets: the part of `wanted` this sidecar's own traffic calls for (rates and slots: all of it). */
  readonly needed: number;
  readonly held: number;
  readonly unreported: number;
  readonly reserved: number;
  /** Budgets: the largest reservation seen (a balance below it admits nothing); others 0. */
  readonly minUseful: number;
  readonly release: boolean;
}

/** How long a cell without traffic keeps its lease before handing it back. */
export const IDLE_RELEASE_MS = 30_000;
const HEADROOM = 1.25;

export abstract class LimitCell {
  /** The configured (global) limit: per minute, slots or USD. */
  limit = 0;
  /** The limit as header text, computed when the limit changes. */
  limitText = "0";
  protected leased = false;
  protected expiresAtMs = 0;
  protected granted = 0;
  protected fallbackShare = 0;
  /** The capacity in force right now (lease, provisional share or fail mode); Infinity = unenforced. */
  protected effective = Number.NaN;
  /** Demand bookkeeping since the last report. */
  protected attempted = 0;
  protected lastReportMs: number;
  protected lastActiveMs = Number.NEGATIVE_INFINITY;
  protected wantedRate = 0;
  protected reportedOnce = false;
  /** Sidecars sharing the lease stream, as last seen. */
  protected live = 1;
  /** The last report handed the lease back: its answer (granted 0) is an acknowledgement, not a lease. */
  private releaseSent = false;

  constructor(
    readonly key: string,
    readonly kind: LimitKind,
    limit: number,
    nowMs: number,
  ) {
    this.lastReportMs = nowMs;
    this.setLimit(limit);
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.limitText = countText(Math.floor(limit));
    if (this.granted > limit) this.granted = limit;
  }

  get hasLease(): boolean {
    return this.leased;
  }

  /** Traffic seen within the idle window, or a lease still held. */
  interesting(nowMs: number): boolean {
    return nowMs - this.lastActiveMs < IDLE_RELEASE_MS;
  }

  /** Recomputes the capacity in force. `streamUp` = the lease stream is healthy; `live` = sidecars seen. */
  refresh(nowMs: number, mode: FailMode, streamUp: boolean, live: number): void {
    this.live = live;
    let capacity: number;
    if (this.leased && nowMs < this.expiresAtMs) capacity = this.granted;
    else if (!this.leased && streamUp) capacity = this.provisional(live);
    else if (mode === "open") capacity = Number.POSITIVE_INFINITY;
    else if (mode === "closed") capacity = 0;
    else capacity = this.fallbackShare > 0 ? this.fallbackShare : this.provisional(live);
    if (this.leased && nowMs >= this.expiresAtMs) this.leased = false;
    if (capacity !== this.effective) {
      const first = Number.isNaN(this.effective);
      this.effective = capacity;
      this.apply(capacity, nowMs, first);
    }
  }

  /** Applies a grant received at `nowMs`; `renewMs` = how often this sidecar renews. */
  grant(g: LeaseGrantView, nowMs: number, renewMs: number): void {
    const released = this.releaseSent;
    this.releaseSent = false;
    if (g.limit <= 0 || released) {
      // Applying a release's answer as a lease of 0 would refuse every request after an idle spell until the
      // next renewal; without a lease the provisional share applies, and the next report asks for one.
      this.leased = false;
      return;
    }
    this.leased = true;
    this.granted = Math.min(g.granted, g.limit);
    this.fallbackShare = g.fallbackShare;
    // Stop using the lease a renewal interval before the control plane may give it to someone else.
    this.expiresAtMs = nowMs + Math.max(0, g.ttlMs - renewMs);
    this.onGrant(g);
  }

  /** The demand for the next lease period; resets the per-period counters. */
  demand(nowMs: number): DemandView {
    const elapsed = Math.max(1, nowMs - this.lastReportMs);
    this.lastReportMs = nowMs;
    const release = !this.interesting(nowMs) && !this.alwaysLeased();
    const wanted = release ? 0 : this.wanted(elapsed);
    const needed = release ? 0 : Math.min(wanted, this.needed(wanted));
    this.attempted = 0;
    this.reportedOnce = true;
    this.releaseSent = release;
    if (release) this.leased = false;
    const held = this.heldForReport();
    const minUseful = release ? 0 : this.minUseful();
    return { wanted, needed, held: this.leased ? held : 0, unreported: this.unreportedForReport(), reserved: this.reservedForReport(), minUseful, release };
  }

  /** The smallest holding that admits a request (budgets override; rates and slots: any). */
  protected minUseful(): number {
    return 0;
  }

  /** The part of `wanted` the sidecar's own traffic calls for; budgets override (the rest is an idle share). */
  protected needed(wanted: number): number {
    return wanted;
  }

  /** Per-minute demand for rates, smoothed; slots and USD override. */
  protected wanted(elapsedMs: number): number {
    const perMinute = (this.attempted * 60_000) / elapsedMs;
    this.wantedRate = this.reportedOnce ? 0.5 * this.wantedRate + 0.5 * perMinute : perMinute;
    return this.wantedRate * HEADROOM;
  }

  protected alwaysLeased(): boolean {
    return false;
  }

  protected heldForReport(): number {
    return this.granted;
  }

  protected unreportedForReport(): number {
    return 0;
  }

  protected reservedForReport(): number {
    return 0;
  }

  protected onGrant(_g: LeaseGrantView): void {}

  /** The capacity a sidecar uses before its first lease arrives. */
  protected abstract provisional(live: number): number;

  /** `first` = the cell's first capacity (a rate bucket then starts full). */
  protected abstract apply(capacity: number, nowMs: number, first: boolean): void;
}

/** RPM or TPM: a token bucket refilled at the leased per-minute rate. */
export class RateCell extends LimitCell {
  private readonly bucket: TokenBucket;

  constructor(key: string, kind: "rpm" | "tpm", limit: number, private readonly burstMs: number, nowMs: number) {
    super(key, kind, limit, nowMs);
    this.bucket = new TokenBucket(0, burstMs, nowMs);
  }

  protected provisional(live: number): number {
    return this.limit / Math.max(1, live);
  }

  protected apply(capacity: number, nowMs: number, first: boolean): void {
    this.bucket.configure(capacity, this.burstMs, nowMs);
    if (first) this.bucket.fill(nowMs);
  }

  canTake(amount: number, nowMs: number): boolean {
    this.lastActiveMs = nowMs;
    this.attempted += amount;
    return this.bucket.canTake(amount, nowMs);
  }

  take(amount: number): void {
    this.bucket.take(amount);
  }

  /** Reconciliation: positive gives back, negative takes more. */
  adjust(amount: number, nowMs: number): void {
    this.bucket.adjust(amount, nowMs);
  }

  get enforced(): boolean {
    return this.bucket.limited;
  }

  remaining(nowMs: number): number {
    return this.bucket.remaining(nowMs);
  }

  msUntil(amount: number, nowMs: number): number {
    return this.bucket.msUntil(amount, nowMs);
  }

  msUntilFull(nowMs: number): number {
    return this.bucket.msUntilFull(nowMs);
  }
}

/** Max concurrent requests: a gauge of requests in flight against the leased number of slots. */
export class ConcurrencyCell extends LimitCell {
  private max = 0;
  private inUse = 0;
  private peak = 0;

  protected provisional(live: number): number {
    return Math.max(1, Math.floor(this.limit / Math.max(1, live)));
  }

  protected apply(capacity: number): void {
    this.max = capacity;
  }

  canTake(nowMs: number): boolean {
    this.lastActiveMs = nowMs;
    this.attempted++;
    return this.inUse < this.max;
  }

  take(): void {
    this.inUse++;
    if (this.inUse > this.peak) this.peak = this.inUse;
  }

  release(): void {
    if (this.inUse > 0) this.inUse--;
  }

  get inFlight(): number {
    return this.inUse;
  }

  protected override wanted(): number {
    const wanted = Math.max(this.peak, Math.min(this.attempted, this.limit)) + 1;
    this.peak = this.inUse;
    return wanted;
  }
}

/**
 * A hard budget: a balance of leased USD. Admission reserves the request's maximum cost; completion
 * charges the actual cost (which becomes "unreported" until the usage batch carrying it is acknowledged).
 */
export class BudgetCell extends LimitCell {
  /** Leased USD not yet charged (includes reservations). May go negative if a request cost more than reserved. */
  private held = 0;
  private reserved = 0;
  private unreported = 0;
  private chargedTotal = 0;
  private chargedAtReport = 0;
  private maxReservation = 0;
  private usable = 0;
  /** The last grant's `remaining`, less what it cannot include, plus chargedTotal at its arrival (see exhausted). */
  private remainingBase = Number.POSITIVE_INFINITY;
  private resetInMs = 0;
  private resetBaseMs = 0;

  protected provisional(): number {
    return 0;
  }

  protected apply(capacity: number): void {
    this.usable = capacity;
  }

  protected override alwaysLeased(): boolean {
    return true;
  }

  /** Budgets are leased up front, so the first request of a key already finds a balance. */
  override interesting(): boolean {
    return true;
  }

  canReserve(amount: number, nowMs: number): boolean {
    this.lastActiveMs = nowMs;
    this.attempted += amount;
    if (amount > this.maxReservation) this.maxReservation = amount;
    if (this.usable === Number.POSITIVE_INFINITY) return true;
    return this.usable > 0 && this.held - this.reserved >= amount;
  }

  reserve(amount: number): void {
    this.reserved += amount;
  }

  /** Releases a reservation and charges the actual cost. */
  settle(reservedUsd: number, chargedUsd: number): void {
    this.reserved = Math.max(0, this.reserved - reservedUsd);
    this.held -= chargedUsd;
    this.unreported += chargedUsd;
    this.chargedTotal += chargedUsd;
  }

  /** The usage batch carrying `usd` of this budget's spend was acknowledged. */
  acknowledged(usd: number): void {
    this.unreported = Math.max(0, this.unreported - usd);
  }

  /**
   * True when the period's budget is used up as far as this sidecar can tell: what the control plane last
   * said is left (limit − recorded spend), less this sidecar's spend it could not have recorded by then
   * (unacknowledged when the grant arrived, or charged since), is below the largest reservation seen.
   * Rejections then say "used up" and wait for the reset; otherwise only this sidecar's share is short.
   * (Other sidecars' spend shows at the next grant.)
   */
  exhausted(): boolean {
    const left = this.remainingBase - this.chargedTotal;
    return left <= this.maxReservation || left <= 1e-9;
  }

  /** ms until the period resets, 0 = never (lifetime) or unknown. */
  msUntilReset(nowMs: number): number {
    return this.resetInMs > 0 ? Math.max(0, this.resetBaseMs + this.resetInMs - nowMs) : 0;
  }

  get balance(): number {
    return this.held - this.reserved;
  }

  override grant(g: LeaseGrantView, nowMs: number, renewMs: number): void {
    super.grant(g, nowMs, renewMs);
    this.resetBaseMs = nowMs;
  }

  protected override onGrant(g: LeaseGrantView): void {
    // The grant answers the report sent earlier: what was charged since then already came out of it.
    this.held = this.granted - (this.chargedTotal - this.chargedAtReport);
    this.remainingBase = g.remaining - this.unreported + this.chargedTotal;
    this.resetInMs = g.resetInMs;
  }

  protected override heldForReport(): number {
    this.chargedAtReport = this.chargedTotal;
    return this.held;
  }

  protected override unreportedForReport(): number {
    return this.unreported;
  }

  protected override reservedForReport(): number {
    return this.reserved;
  }

  protected override minUseful(): number {
    return this.maxReservation;
  }

  /**
   * The balance wanted: what requests in flight reserved plus the larger of two of the largest
   * reservations seen, four renewal periods of attempted spend, and an even share of the budget (so an idle
   * sidecar still holds enough for its first requests; a busy one asks for more as its attempts grow).
   */
  protected override wanted(): number {
    return this.reserved + Math.max(2 * this.maxReservation, 4 * this.attempted, this.limit / Math.max(1, this.live));
  }

  /** The traffic-driven part of `wanted` (without the even share): the control plane honours it first. */
  protected override needed(): number {
    return this.reserved + Math.max(2 * this.maxReservation, 4 * this.attempted);
  }
}

export type AnyCell = RateCell | ConcurrencyCell | BudgetCell;
