/**
 * Limit keys name one limit of the policy (grammar in proto/sidegate/v1/quota.proto). The control plane
 * resolves a key against its current snapshot, so a sidecar can never lease a limit that does not exist.
 */
import type { Budget, ModelLimits, PolicySnapshot, SpendScope, Team, VirtualKey } from "./types";

export type LimitKind = "rpm" | "tpm" | "concurrency" | "budget";

export interface ParsedLimitKey {
  readonly scope: "key" | "team" | "global";
  readonly id: string;
  readonly kind: LimitKind;
  /** Model name (rate limits) or budget id (budgets); "" = none. */
  readonly qualifier: string;
}

const KINDS: ReadonlySet<string> = new Set(["rpm", "tpm", "concurrency", "budget"]);

export function parseLimitKey(key: string): ParsedLimitKey | undefined {
  const a = key.indexOf(":");
  const b = a < 0 ? -1 : key.indexOf(":", a + 1);
  if (b < 0) return undefined;
  const c = key.indexOf(":", b + 1);
  const scope = key.slice(0, a);
  const id = key.slice(a + 1, b);
  const kind = c < 0 ? key.slice(b + 1) : key.slice(b + 1, c);
  const qualifier = c < 0 ? "" : key.slice(c + 1);
  if (scope !== "key" && scope !== "team" && scope !== "global") return undefined;
  if (!KINDS.has(kind) || id === "" || (c >= 0 && qualifier === "")) return undefined;
  if (scope === "global" && (id !== "*" || qualifier === "" || kind === "budget")) return undefined;
  if (kind === "budget" && qualifier === "") return undefined;
  return { scope, id, kind: kind as LimitKind, qualifier };
}

/** A resolved limit: what is divided among sidecars. */
export interface LimitDef {
  readonly kind: LimitKind;
  /** Per minute for rpm/tpm, slots for concurrency, USD for budgets. */
  readonly capacity: number;
  /** Budgets only. */
  readonly budget?: Budget;
  readonly spendScope?: SpendScope;
}

export interface LimitIndex {
  resolve(key: string): LimitDef | undefined;
}

function rateOf(limits: ModelLimits, kind: LimitKind): number {
  return kind === "rpm" ? limits.rpm : kind === "tpm" ? limits.tpm : kind === "concurrency" ? limits.maxConcurrent : 0;
}

/** Built once per snapshot (cached by the caller); resolution is two map lookups. */
export function buildLimitIndex(snapshot: PolicySnapshot): LimitIndex {
  const teams = new Map<string, Team>(snapshot.teams.map((t) => [t.id, t]));
  const keys = new Map<string, VirtualKey>(snapshot.keys.map((k) => [k.id, k]));
  const global = new Map<string, ModelLimits>(snapshot.globalLimits.map((g) => [g.model, g]));
  return {
    resolve(key: string): LimitDef | undefined {
      const p = parseLimitKey(key);
      if (p === undefined) return undefined;
      if (p.scope === "global") {
        const g = global.get(p.qualifier);
        const capacity = g === undefined ? 0 : rateOf(g, p.kind);
        return capacity > 0 ? { kind: p.kind, capacity } : undefined;
      }
      const owner = p.scope === "team" ? teams.get(p.id) : keys.get(p.id);
      if (owner === undefined) return undefined;
      if (p.kind === "budget") {
        const budget = owner.limits.budgets.find((x) => x.id === p.qualifier);
        if (budget === undefined || !budget.hard || budget.limitUsd <= 0) return undefined;
        return { kind: "budget", capacity: budget.limitUsd, budget, spendScope: { scope: p.scope, id: p.id } };
      }
      const limits = p.qualifier === "" ? owner.limits : owner.limits.modelLimits[p.qualifier];
      const capacity = limits === undefined ? 0 : rateOf(limits, p.kind);
      return capacity > 0 ? { kind: p.kind, capacity } : undefined;
    },
  };
}
