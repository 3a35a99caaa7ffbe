/**
 * Every limit cell this sidecar enforces, keyed by stable limit keys (grammar in quota.proto), and the
 * per-(key, model) plans the hot path uses. Rebuilt on every policy snapshot; a cell whose key still exists
 * is kept (with its tokens, in-flight count, balance and lease), so a snapshot swap never resets a limit.
 */
import type { FailModes, LimitKind } from "./fail-mode";
import { BudgetCell, ConcurrencyCell, RateCell, type AnyCell } from "./limit-cell";

export interface ModelLimitsInput {
  readonly rpm: number;
  readonly tpm: number;
  readonly maxConcurrent: number;
}

export interface BudgetInput {
  readonly id: string;
  readonly limitUsd: number;
  readonly hard: boolean;
}

export interface LimitsInput extends ModelLimitsInput {
  readonly budgets: readonly BudgetInput[];
  readonly modelLimits: ReadonlyMap<string, ModelLimitsInput>;
}

export interface LimiterPolicy {
  readonly keys: Iterable<{ readonly id: string; readonly teamId: string; readonly limits: LimitsInput }>;
  readonly teams: ReadonlyMap<string, LimitsInput>;
  readonly globalLimits: ReadonlyMap<string, ModelLimitsInput>;
}

/** The cells one request must pass, grouped by what it takes from them. Shared, immutable. */
export interface LimitPlan {
  readonly requests: readonly RateCell[];
  readonly tokens: readonly RateCell[];
  readonly concurrency: readonly ConcurrencyCell[];
  readonly budgets: readonly BudgetCell[];
}

interface KeyCells {
  readonly base: readonly AnyCell[];
  /** model → cells of the key's and the team's model_limits. */
  readonly models: ReadonlyMap<string, readonly AnyCell[]>;
  readonly budgets: readonly BudgetCell[];
  readonly plans: Map<string, LimitPlan | null>;
}

export interface LimiterOptions {
  /** Burst of the rate buckets, in ms of the leased rate. */
  readonly burstMs: number;
  readonly failModes: FailModes;
}

export class Limiter {
  private cells = new Map<string, AnyCell>();
  private keys = new Map<string, KeyCells>();
  private globals = new Map<string, readonly AnyCell[]>();
  /** State of the lease stream, as the lease client last saw it. */
  private streamUp = false;
  private live = 1;

  constructor(readonly options: LimiterOptions) {}

  /** Recomputes every cell's capacity (lease expiry, stream state); called on every lease tick. */
  refreshAll(nowMs: number, streamUp: boolean = this.streamUp, live: number = this.live): void {
    this.streamUp = streamUp;
    this.live = Math.max(1, live);
    for (const c of this.cells.values()) c.refresh(nowMs, this.options.failModes[c.kind], this.streamUp, this.live);
  }

  /** Rebuilds plans from a new snapshot, keeping the state of every limit key that is still there. */
  update(policy: LimiterPolicy, nowMs: number): void {
    const previous = this.cells;
    const next = new Map<string, AnyCell>();
    const cell = (key: string, kind: LimitKind, limit: number): AnyCell => {
      let c = next.get(key) ?? previous.get(key);
      if (c === undefined || c.kind !== kind) c = this.create(key, kind, limit, nowMs);
      else if (c.limit !== limit) c.setLimit(limit);
      next.set(key, c);
      return c;
    };
    const rateCells = (prefix: string, l: ModelLimitsInput, model: string, out: AnyCell[]): void => {
      const suffix = model === "" ? "" : `:${model}`;
      if (l.rpm > 0) out.push(cell(`${prefix}:rpm${suffix}`, "rpm", l.rpm));
      if (l.tpm > 0) out.push(cell(`${prefix}:tpm${suffix}`, "tpm", l.tpm));
      if (l.maxConcurrent > 0) out.push(cell(`${prefix}:concurrency${suffix}`, "concurrency", l.maxConcurrent));
    };
    const budgetCells = (prefix: string, l: LimitsInput, out: BudgetCell[]): void => {
      for (const b of l.budgets) {
        if (b.hard && b.limitUsd > 0) out.push(cell(`${prefix}:budget:${b.id}`, "budget", b.limitUsd) as BudgetCell);
      }
    };
    const globals = new Map<string, readonly AnyCell[]>();
    for (const [model, l] of policy.globalLimits) {
      const out: AnyCell[] = [];
      rateCells("global:*", l, model, out);
      if (out.length > 0) globals.set(model, out);
    }
    const keys = new Map<string, KeyCells>();
    for (const key of policy.keys) {
      const team = policy.teams.get(key.teamId);
      const base: AnyCell[] = [];
      const budgets: BudgetCell[] = [];
      rateCells(`key:${key.id}`, key.limits, "", base);
      if (team !== undefined) rateCells(`team:${key.teamId}`, team, "", base);
      budgetCells(`key:${key.id}`, key.limits, budgets);
      if (team !== undefined) budgetCells(`team:${key.teamId}`, team, budgets);
      const models = new Map<string, AnyCell[]>();
      const perModel = (prefix: string, limits: LimitsInput): void => {
        for (const [model, l] of limits.modelLimits) {
          let out = models.get(model);
          if (out === undefined) models.set(model, (out = []));
          rateCells(prefix, l, model, out);
        }
      };
      perModel(`key:${key.id}`, key.limits);
      if (team !== undefined) perModel(`team:${key.teamId}`, team);
      keys.set(key.id, { base: [...base, ...budgets], models, budgets, plans: new Map() });
    }
    this.cells = next;
    this.keys = keys;
    this.globals = globals;
    for (const c of next.values()) if (!previous.has(c.key)) c.refresh(nowMs, this.options.failModes[c.kind], this.streamUp, this.live);
  }

  /** The cells a request of `keyId` for `model` must pass; null = none apply. Memoized per snapshot. */
  plan(keyId: string, model: string): LimitPlan | null {
    const key = this.keys.get(keyId);
    if (key === undefined) return null;
    let plan = key.plans.get(model);
    if (plan === undefined) {
      plan = buildPlan([...key.base, ...(key.models.get(model) ?? []), ...(this.globals.get(model) ?? [])]);
      key.plans.set(model, plan);
    }
    return plan;
  }

  /** The hard budgets a key's spend is charged to (its own and its team's). */
  budgetsOf(keyId: string): readonly BudgetCell[] {
    return this.keys.get(keyId)?.budgets ?? NO_BUDGETS;
  }

  get(limitKey: string): AnyCell | undefined {
    return this.cells.get(limitKey);
  }

  all(): IterableIterator<AnyCell> {
    return this.cells.values();
  }

  private create(key: string, kind: LimitKind, limit: number, nowMs: number): AnyCell {
    if (kind === "rpm" || kind === "tpm") return new RateCell(key, kind, limit, this.options.burstMs, nowMs);
    if (kind === "concurrency") return new ConcurrencyCell(key, kind, limit, nowMs);
    return new BudgetCell(key, kind, limit, nowMs);
  }
}

const NO_BUDGETS: readonly BudgetCell[] = Object.freeze([]);

function buildPlan(cells: readonly AnyCell[]): LimitPlan | null {
  if (cells.length === 0) return null;
  const requests: RateCell[] = [];
  const tokens: RateCell[] = [];
  const concurrency: ConcurrencyCell[] = [];
  const budgets: BudgetCell[] = [];
  for (const c of new Set(cells)) {
    if (c instanceof RateCell) (c.kind === "rpm" ? requests : tokens).push(c);
    else if (c instanceof ConcurrencyCell) concurrency.push(c);
    else budgets.push(c);
  }
  return Object.freeze({ requests, tokens, concurrency, budgets });
}
