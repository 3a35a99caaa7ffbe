/**
 * Local enforcement of every applicable limit (key, team, per-model, org-wide): RPM and TPM token
 * buckets, concurrency gauges and hard-budget balances, all sized by capacity leases. No network call:
 * a limit without a lease, or a budget balance that ran short before the budget did, asks the lease client
 * to renew in the background. Fills the rate-limit headers and, on rejection, retry-after.
 */
import { ProxyError, proxyError } from "../../errors/proxy-error";
import { admit } from "../../limiter/admission";
import { countText, resetText } from "../../limiter/duration-text";
import { BudgetCell, ConcurrencyCell, RateCell, type AnyCell } from "../../limiter/limit-cell";
import type { Limiter, LimitPlan } from "../../limiter/limiter";
import type { RequestContext } from "../context";
import type { Stage } from "../compose";
import { estimateInputTokens, maxCostUsd, maxOutputTokens } from "../reservation";

export interface LimitStageDeps {
  readonly limiter: Limiter;
  /** Output tokens reserved when a request sets no max_tokens. */
  readonly defaultMaxTokens: number;
  /** A limit without a lease saw traffic. */
  readonly wantLease: () => void;
  /** A budget balance ran short before the budget did (the lease client renews early, rate-limited). */
  readonly balanceShort: () => void;
  readonly onReject: (kind: AnyCell["kind"]) => void;
  readonly now?: () => number;
}

const RATE_LIMITED = proxyError("rate_limit_exceeded");
const NO_QUOTA = proxyError("insufficient_quota");
/**
 * A hard budget that is not used up, but of which this sidecar holds too little right now (its share is
 * being renewed, or lapsed while the control plane is unreachable): a retryable rate limit, never
 * `insufficient_quota`, which clients rightly treat as "stop until the period resets".
 */
const BUDGET_SHARE_SHORT = Object.freeze(
  new ProxyError(
    "rate_limit_exceeded",
    "This sidecar's share of the budget is used up for the moment; the budget itself is not. Retry after the time in the retry-after header.",
  ),
);

export function limitStage(deps: LimitStageDeps): Stage {
  const now = deps.now ?? Date.now;
  return (ctx: RequestContext): ProxyError | null => {
    const key = ctx.key;
    const json = ctx.json;
    if (key === null || json === null) return null;
    const plan = deps.limiter.plan(key.id, ctx.model);
    if (plan === null) return null;
    const t = now();
    const input = estimateInputTokens(ctx.body?.length ?? 0);
    const output = maxOutputTokens(json, deps.defaultMaxTokens);
    const reserveUsd = plan.budgets.length > 0 ? maxCostUsd(input, output, ctx.target?.price ?? null) : 0;
    const tokens = input + output;
    const failed = admit(plan, tokens, reserveUsd, t);
    const usedUp = failed instanceof BudgetCell && failed.exhausted();
    if (needsLease(plan)) deps.wantLease();
    else if (failed instanceof BudgetCell && !usedUp) deps.balanceShort();
    fillHeaders(ctx, plan, t);
    if (failed !== null) {
      deps.onReject(failed.kind);
      ctx.retryAfter = countText(retryAfterSeconds(failed, usedUp, tokens, t));
      if (failed instanceof BudgetCell) return usedUp ? NO_QUOTA : BUDGET_SHARE_SHORT;
      return RATE_LIMITED;
    }
    ctx.limits = plan;
    ctx.inputTokensEstimate = input;
    ctx.reservedTokens = tokens;
    ctx.reservedUsd = reserveUsd;
    return null;
  };
}

function needsLease(plan: LimitPlan): boolean {
  for (const c of plan.requests) if (!c.hasLease) return true;
  for (const c of plan.tokens) if (!c.hasLease) return true;
  for (const c of plan.concurrency) if (!c.hasLease) return true;
  for (const c of plan.budgets) if (!c.hasLease) return true;
  return false;
}

/** `usedUp`: the refusing cell is a budget used up for its period (see BudgetCell.exhausted). */
function retryAfterSeconds(cell: AnyCell, usedUp: boolean, tokens: number, nowMs: number): number {
  let ms = 1000;
  if (cell instanceof RateCell) ms = cell.msUntil(cell.kind === "rpm" ? 1 : tokens, nowMs);
  else if (cell instanceof BudgetCell && usedUp) ms = cell.msUntilReset(nowMs) || 3600_000;
  else if (cell instanceof ConcurrencyCell) ms = 1000;
  if (!Number.isFinite(ms)) ms = 1000;
  return Math.min(86_400, Math.max(1, Math.ceil(ms / 1000)));
}

/** x-ratelimit-*: the most constrained enforced RPM and TPM cell of the plan (this sidecar's view). */
function fillHeaders(ctx: RequestContext, plan: LimitPlan, nowMs: number): void {
  const r = tightest(plan.requests, nowMs);
  if (r !== null) {
    ctx.rlLimitRequests = r.limitText;
    ctx.rlRemainingRequests = countText(r.remaining(nowMs));
    ctx.rlResetRequests = resetText(r.msUntilFull(nowMs));
  }
  const k = tightest(plan.tokens, nowMs);
  if (k !== null) {
    ctx.rlLimitTokens = k.limitText;
    ctx.rlRemainingTokens = countText(k.remaining(nowMs));
    ctx.rlResetTokens = resetText(k.msUntilFull(nowMs));
  }
}

function tightest(cells: readonly RateCell[], nowMs: number): RateCell | null {
  let best: RateCell | null = null;
  let least = Number.POSITIVE_INFINITY;
  for (const c of cells) {
    if (!c.enforced) continue;
    const left = c.remaining(nowMs) / Math.max(1, c.limit);
    if (left < least) {
      least = left;
      best = c;
    }
  }
  return best;
}
