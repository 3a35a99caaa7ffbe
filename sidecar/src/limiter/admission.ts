/**
 * Admission against a plan: every cell is checked first, then all are taken (all-or-nothing), so a
 * rejected request consumes nothing. Settlement gives back what was reserved and charges what was used.
 */
import type { AnyCell } from "./limit-cell";
import type { LimitPlan } from "./limiter";

/** Returns the first cell that rejects, or null after taking from all of them. */
export function admit(plan: LimitPlan, tokens: number, reserveUsd: number, nowMs: number): AnyCell | null {
  const { requests, tokens: tokenCells, concurrency, budgets } = plan;
  for (const c of requests) if (!c.canTake(1, nowMs)) return c;
  for (const c of tokenCells) if (!c.canTake(tokens, nowMs)) return c;
  for (const c of concurrency) if (!c.canTake(nowMs)) return c;
  for (const c of budgets) if (!c.canReserve(reserveUsd, nowMs)) return c;
  for (const c of requests) c.take(1);
  for (const c of tokenCells) c.take(tokens);
  for (const c of concurrency) c.take();
  for (const c of budgets) c.reserve(reserveUsd);
  return null;
}

/** After the request finished: `usedTokens` < 0 = unknown (the reservation stands). */
export function settle(plan: LimitPlan, reservedTokens: number, usedTokens: number, reservedUsd: number, chargedUsd: number, nowMs: number): void {
  if (usedTokens >= 0 && usedTokens !== reservedTokens) {
    for (const c of plan.tokens) c.adjust(reservedTokens - usedTokens, nowMs);
  }
  for (const c of plan.concurrency) c.release();
  for (const c of plan.budgets) c.settle(reservedUsd, chargedUsd);
}
