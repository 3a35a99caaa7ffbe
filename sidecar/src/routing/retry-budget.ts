/**
 * Caps extra attempts (retries and fallbacks) at a fraction of first attempts over a sliding window, plus a
 * small floor so a quiet sidecar can still retry. During an outage this keeps the sidecar from multiplying
 * the load on a provider that is already failing (the Finagle/Envoy retry-budget model).
 */
export interface RetryBudgetConfig {
  /** Extra attempts allowed per first attempt, e.g. 0.2 = at most 20 % more load. */
  readonly ratio: number;
  /** Extra attempts always allowed per second, regardless of traffic. */
  readonly minPerSecond: number;
  readonly windowMs: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetConfig = Object.freeze({ ratio: 0.2, minPerSecond: 5, windowMs: 10_000 });

const SLOTS = 10;

export class RetryBudget {
  private readonly firsts = new Array<number>(SLOTS).fill(0);
  private readonly extras = new Array<number>(SLOTS).fill(0);
  private slotStart = 0;
  private slot = 0;

  constructor(private readonly config: RetryBudgetConfig = DEFAULT_RETRY_BUDGET) {}

  recordFirstAttempt(now: number): void {
    this.advance(now);
    this.firsts[this.slot] = (this.firsts[this.slot] as number) + 1;
  }

  /** Takes one extra attempt from the budget; false = budget exhausted, do not retry. */
  tryWithdraw(now: number): boolean {
    this.advance(now);
    let firsts = 0;
    let extras = 0;
    for (let i = 0; i < SLOTS; i++) {
      firsts += this.firsts[i] as number;
      extras += this.extras[i] as number;
    }
    const allowed = firsts * this.config.ratio + (this.config.minPerSecond * this.config.windowMs) / 1000;
    if (extras + 1 > allowed) return false;
    this.extras[this.slot] = (this.extras[this.slot] as number) + 1;
    return true;
  }

  private advance(now: number): void {
    const width = this.config.windowMs / SLOTS;
    if (this.slotStart === 0) this.slotStart = now;
    let steps = Math.floor((now - this.slotStart) / width);
    if (steps <= 0) return;
    if (steps >= SLOTS) {
      this.firsts.fill(0);
      this.extras.fill(0);
      this.slotStart = now;
      this.slot = 0;
      return;
    }
    this.slotStart += steps * width;
    while (steps-- > 0) {
      this.slot = (this.slot + 1) % SLOTS;
      this.firsts[this.slot] = 0;
      this.extras[this.slot] = 0;
    }
  }
}
