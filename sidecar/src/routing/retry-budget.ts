/**
 * Caps extra attempts (retries and fallbacks) at a fraction of first attempts over a sliding window, plus a
 * small floor so a quiet sidecar can still retry. During an outage this keeps the sidecar from multiplying
 * the load on a provider that is already failing (the Finagle/Envoy retry-budget model).
 */
import { SlidingPair } from "./sliding-window";

export interface RetryBudgetConfig {
  /** Extra attempts allowed per first attempt, e.g. 0.2 = at most 20 % more load. */
  readonly ratio: number;
  /** Extra attempts always allowed per second, regardless of traffic. */
  readonly minPerSecond: number;
  readonly windowMs: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetConfig = Object.freeze({ ratio: 0.2, minPerSecond: 5, windowMs: 10_000 });

export class RetryBudget {
  /** a = first attempts, b = extra attempts. */
  private readonly counts: SlidingPair;

  constructor(private readonly config: RetryBudgetConfig = DEFAULT_RETRY_BUDGET) {
    this.counts = new SlidingPair(config.windowMs);
  }

  recordFirstAttempt(now: number): void {
    this.counts.addA(now);
  }

  /** Takes one extra attempt from the budget; false = budget exhausted, do not retry. */
  tryWithdraw(now: number): boolean {
    const [firsts, extras] = this.counts.sums(now);
    const allowed = firsts * this.config.ratio + (this.config.minPerSecond * this.config.windowMs) / 1000;
    if (extras + 1 > allowed) return false;
    this.counts.addB(now);
    return true;
  }
}
