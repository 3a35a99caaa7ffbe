import { periodWindow } from "../domain/periods";
import type { Budget, PolicySnapshot, SpendScope } from "../domain/types";
import type { RequestRecord } from "../domain/usage-types";
import type { Logger } from "../telemetry/logger";
import type { ControlPlaneMetrics } from "../telemetry/metrics";
import type { SpendLedger } from "./spend-ledger";

/**
 * Soft budgets are not enforced: when stored usage takes a soft budget's period spend to its limit, the
 * control plane logs a warning and counts `sidegate_cp_soft_budget_exceeded_total`, once per budget and
 * period (webhooks will hang off the same place).
 */
export function createSoftBudgetAlerts(deps: {
  ledger: SpendLedger;
  snapshot: () => PolicySnapshot | undefined;
  logger: Logger;
  metrics: ControlPlaneMetrics;
  now: () => number;
}) {
  const alerted = new Set<string>();
  /** Per snapshot: who has soft budgets (most teams and keys have none, and batches are frequent). */
  const owners = new WeakMap<PolicySnapshot, Map<string, readonly Budget[]>>();
  const softBudgets = (snapshot: PolicySnapshot): Map<string, readonly Budget[]> => {
    let map = owners.get(snapshot);
    if (map === undefined) {
      map = new Map();
      for (const t of snapshot.teams) if (t.limits.budgets.some((b) => !b.hard)) map.set(`team:${t.id}`, t.limits.budgets);
      for (const k of snapshot.keys) if (k.limits.budgets.some((b) => !b.hard)) map.set(`key:${k.id}`, k.limits.budgets);
      owners.set(snapshot, map);
    }
    return map;
  };

  async function check(who: SpendScope, budgets: readonly Budget[]): Promise<void> {
    for (const b of budgets) {
      if (b.hard || b.limitUsd <= 0) continue;
      const window = periodWindow(b, deps.now());
      const id = `${who.scope}:${who.id}:${b.id}:${window.startMs}`;
      if (alerted.has(id)) continue;
      const spent = await deps.ledger.spent(who, window);
      if (spent < b.limitUsd || alerted.has(id)) continue;
      alerted.add(id);
      deps.metrics.softBudgetExceeded.inc({ scope: who.scope });
      deps.logger.warn(
        { scope: who.scope, id: who.id, budget: b.id, limitUsd: b.limitUsd, spentUsd: spent, period: b.period },
        "soft budget exceeded",
      );
    }
  }

  return {
    /** After a batch is stored; never throws. */
    async onStored(records: readonly RequestRecord[]): Promise<void> {
      const snapshot = deps.snapshot();
      if (snapshot === undefined) return;
      const soft = softBudgets(snapshot);
      if (soft.size === 0) return;
      const touched = new Map<string, SpendScope>();
      for (const r of records) {
        if (r.costUsd === 0) continue;
        touched.set(`team:${r.teamId}`, { scope: "team", id: r.teamId });
        touched.set(`key:${r.keyId}`, { scope: "key", id: r.keyId });
      }
      try {
        for (const [id, who] of touched) {
          const budgets = soft.get(id);
          if (budgets !== undefined) await check(who, budgets);
        }
      } catch (err) {
        deps.logger.warn({ err }, "soft budget check failed");
      }
    },
  };
}
