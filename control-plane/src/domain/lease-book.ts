/**
 * The control plane's view of who holds how much of every limit, and the allocation rule (capacity
 * leasing, after Doorman). Pure: time and limit definitions are passed in.
 *
 * Invariant: for every limit, the sum of unexpired holdings (plus, for budgets, recorded spend and spend
 * not yet reported) never exceeds the capacity. A sidecar's holding is replaced by each grant; it counts
 * until the holder renews or its lease expires (ttl + grace after the grant, so a sidecar always stops
 * using a lease before the control plane hands it to someone else).
 */
import type { LimitKind } from "./limit-keys";

export interface Demand {
  readonly limitKey: string;
  readonly wanted: number;
  readonly held: number;
  readonly unreported: number;
  /** Budgets: the part of `held` reserved by requests in flight. */
  readonly reserved: number;
  /** Budgets: the part of `wanted` the sidecar's own traffic calls for; the rest is an idle share. */
  readonly needed: number;
  /** Budgets: the largest reservation the sidecar has seen (a balance below it admits nothing); 0 = unknown. */
  readonly minUseful?: number;
  readonly release: boolean;
}

export interface Grant {
  readonly limitKey: string;
  readonly granted: number;
  readonly limit: number;
  readonly fallbackShare: number;
  readonly remaining: number;
  readonly resetInMs: number;
}

export interface LimitState {
  readonly kind: LimitKind;
  readonly capacity: number;
  /** Budgets: USD recorded in the current period. */
  readonly spent: number;
  /** Budgets: ms until the period resets; 0 = never. */
  readonly resetInMs: number;
}

export interface LeaseSummary {
  readonly settled: boolean;
  readonly limits: readonly {
    readonly limitKey: string;
    readonly outstanding: number;
    readonly holders: readonly { readonly sidecarId: string; readonly held: number; readonly wanted: number }[];
  }[];
}

interface Holding {
  held: number;
  wanted: number;
  unreported: number;
  expiresAtMs: number;
}

export interface LeaseBookOptions {
  readonly ttlMs: number;
  /** Extra time the control plane keeps counting a lease after its ttl (network delay, clock rate). */
  readonly graceMs: number;
  /**
   * Until this time leases granted by a previous incarnation may still be held by sidecars that have not
   * reported yet: the book only confirms what sidecars report holding (0 = grant at once).
   */
  readonly settledAtMs: number;
}

const EPSILON = 1e-9;

export class LeaseBook {
  private readonly limits = new Map<string, Map<string, Holding>>();

  constructor(private readonly options: LeaseBookOptions) {}

  /** False while leases granted by a previous incarnation may still be held by sidecars that have not reported. */
  settled(nowMs: number): boolean {
    return nowMs >= this.options.settledAtMs;
  }

  /** Number of limits with at least one holder (for metrics). */
  get size(): number {
    return this.limits.size;
  }

  /** Allocates one demand of `sidecarId`; `live` = sidecars with an open lease stream (≥ 1). */
  allocate(sidecarId: string, demand: Demand, limit: LimitState, live: number, nowMs: number): Grant {
    const holders = this.holders(demand.limitKey, nowMs);
    const fallbackShare = fallbackOf(limit, live);
    const remaining = limit.kind === "budget" ? Math.max(0, limit.capacity - limit.spent) : limit.capacity;
    const answer = (granted: number): Grant => ({
      limitKey: demand.limitKey, granted, limit: limit.capacity, fallbackShare, remaining, resetInMs: limit.resetInMs,
    });
    if (demand.release) {
      holders.delete(sidecarId);
      if (holders.size === 0) this.limits.delete(demand.limitKey);
      return answer(0);
    }
    const wanted = Math.max(0, finite(demand.wanted));
    const unreported = Math.max(0, finite(demand.unreported));
    let others = 0;
    let othersUnreported = 0;
    let othersWanted = 0;
    let count = 1;
    for (const [id, h] of holders) {
      if (id === sidecarId) continue;
      others += h.held;
      othersUnreported += h.unreported;
      othersWanted += h.wanted;
      count++;
    }
    // What is divided: the limit, or for a budget what is left of it once recorded and unreported spend is
    // taken out. A sidecar gets its demand-proportional share of that, capped by what others do not hold,
    // and never all of the spare: a sidecar joining (scale-out, rolling deploy) must find some unheld, or it
    // would refuse its first requests until the others' renewals gave capacity back.
    const pool = limit.kind === "budget" ? Math.max(0, limit.capacity - limit.spent - unreported - othersUnreported) : limit.capacity;
    const available = Math.max(0, pool - others);
    const totalWanted = othersWanted + wanted;
    const settled = this.settled(nowMs);
    const reserved = Math.max(0, finite(demand.reserved));
    let target: number;
    if (!settled) target = Math.max(0, finite(demand.held));
    else if (limit.kind === "budget") target = budgetTarget(wanted, finite(demand.needed), pool, count);
    else if (totalWanted <= pool) target = wanted + spareShare(limit.kind, pool - totalWanted, count);
    else target = (pool * wanted) / totalWanted;
    // Never below what requests in flight already reserved out of the holding (when there is room for it).
    if (limit.kind === "budget") target = Math.max(target, reserved);
    let granted = Math.min(target, available);
    if (limit.kind === "concurrency") granted = Math.floor(granted + EPSILON);
    if (limit.kind === "budget" && settled) granted = withoutScraps(granted, reserved, finite(demand.minUseful ?? 0));
    granted = Math.max(0, granted);
    // Until the sidecar's next report shows it received this grant, it may still hold what it reported
    // (the answer can be lost with the stream), so a shrink only counts from then on.
    const reported = Math.max(0, finite(demand.held));
    holders.set(sidecarId, {
      held: Math.max(granted, reported), wanted, unreported, expiresAtMs: nowMs + this.options.ttlMs + this.options.graceMs,
    });
    return answer(granted);
  }

  /** Every limit with unexpired holdings: who holds how much (the admin API's view). */
  summary(nowMs: number): LeaseSummary {
    const limits: LeaseSummary["limits"][number][] = [];
    for (const key of [...this.limits.keys()].sort()) {
      const holders = [...this.holders(key, nowMs)].map(([sidecarId, h]) => ({ sidecarId, held: h.held, wanted: h.wanted }));
      if (holders.length === 0) continue;
      holders.sort((a, b) => (a.sidecarId < b.sidecarId ? -1 : 1));
      limits.push({ limitKey: key, outstanding: holders.reduce((s, h) => s + h.held, 0), holders });
    }
    return { settled: this.settled(nowMs), limits };
  }

  /** Sum of unexpired holdings of one limit (tests and metrics). */
  outstanding(limitKey: string, nowMs: number): number {
    let sum = 0;
    for (const h of this.holders(limitKey, nowMs).values()) sum += h.held;
    return sum;
  }

  /** Drops expired holdings everywhere (a sweep; `allocate` also drops them lazily per limit). */
  expire(nowMs: number): void {
    for (const key of [...this.limits.keys()]) {
      if (this.holders(key, nowMs).size === 0) this.limits.delete(key);
    }
  }

  private holders(limitKey: string, nowMs: number): Map<string, Holding> {
    let holders = this.limits.get(limitKey);
    if (holders === undefined) {
      holders = new Map();
      this.limits.set(limitKey, holders);
      return holders;
    }
    for (const [id, h] of holders) if (h.expiresAtMs <= nowMs) holders.delete(id);
    return holders;
  }
}

/**
 * A holder's part of the capacity nobody asked for: an even split among the holders and one more, so a
 * sidecar that joins finds a share unheld. Concurrency keeps whole slots free only (rounded down), so a
 * small limit is not cut below what its only holder could use before (2 slots stay 2 for one sidecar).
 */
function spareShare(kind: LimitKind, spare: number, holders: number): number {
  const kept = kind === "concurrency" ? Math.floor(spare / (holders + 1) + EPSILON) : spare / (holders + 1);
  return (spare - kept) / holders;
}

/**
 * A budget holder gets what its own traffic needs, and of the idle share it asks for (so that its next
 * requests find a balance) at most an even split of the pool among the holders and one more: however many
 * sidecars hold the budget, a sidecar joining finds part of it unheld and serves its first requests at once,
 * instead of refusing them until the others' renewals give some back.
 */
function budgetTarget(wanted: number, needed: number, pool: number, holders: number): number {
  return Math.min(wanted, Math.max(0, needed, pool / (holders + 1)));
}

/**
 * A budget balance (beyond what requests in flight reserved) too small for one of the holder's requests
 * admits nothing, and spread over several holders such scraps would refuse every request while the budget
 * still has enough for some: only the reservations are kept, so the scraps go back to the pool for a holder
 * that can use them. `minUseful` 0 = not reported (the grant stands).
 */
function withoutScraps(granted: number, reserved: number, minUseful: number): number {
  return minUseful > 0 && granted - reserved < minUseful ? Math.min(granted, reserved) : granted;
}

/** The conservative static share a sidecar may use when its lease expired and the control plane is gone. */
function fallbackOf(limit: LimitState, live: number): number {
  const n = Math.max(1, live);
  if (limit.kind === "budget") return 0;
  if (limit.kind === "concurrency") return Math.max(1, Math.floor(limit.capacity / n));
  return limit.capacity / n;
}

function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}
