/**
 * A token bucket for a per-minute rate. Capacity (the burst) is `burstMs` worth of the rate, at least one
 * token while the rate is positive. Refilled lazily from an injected clock (ms). Tokens may go negative
 * (debt): a request larger than the burst is admitted when the bucket is full and repaid by the refill,
 * and reconciling a request that used more than it reserved takes the difference.
 */
export class TokenBucket {
  private ratePerMs = 0;
  private capacity = 0;
  private tokens = 0;
  private lastMs = 0;
  /** false = no limit applies (fail-open): every take succeeds. */
  private enforced = true;

  constructor(ratePerMinute: number, burstMs: number, nowMs: number) {
    this.lastMs = nowMs;
    this.configure(ratePerMinute, burstMs, nowMs);
    this.tokens = this.capacity;
  }

  /** Changes the rate (a new lease). Tokens above the new capacity are dropped; none are added. */
  configure(ratePerMinute: number, burstMs: number, nowMs: number): void {
    this.refill(nowMs);
    this.enforced = Number.isFinite(ratePerMinute);
    const rate = this.enforced ? Math.max(0, ratePerMinute) : 0;
    this.ratePerMs = rate / 60_000;
    this.capacity = rate > 0 ? Math.max(1, this.ratePerMs * burstMs) : 0;
    if (this.tokens > this.capacity) this.tokens = this.capacity;
  }

  /** Fills the bucket (a limit seen for the first time starts with its full burst). */
  fill(nowMs: number): void {
    this.refill(nowMs);
    this.tokens = this.capacity;
  }

  get limited(): boolean {
    return this.enforced;
  }

  private refill(nowMs: number): void {
    const elapsed = nowMs - this.lastMs;
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.ratePerMs);
      this.lastMs = nowMs;
    }
  }

  /** Whether `amount` may be taken now (a full bucket admits any amount). Refills first. */
  canTake(amount: number, nowMs: number): boolean {
    if (!this.enforced) return true;
    this.refill(nowMs);
    if (this.capacity <= 0) return false;
    return this.tokens >= Math.min(amount, this.capacity) - 1e-9;
  }

  take(amount: number): void {
    if (this.enforced) this.tokens -= amount;
  }

  /** Gives back (positive) or takes more (negative) after reconciliation; never above capacity. */
  adjust(amount: number, nowMs: number): void {
    if (!this.enforced) return;
    this.refill(nowMs);
    this.tokens = Math.min(this.capacity, this.tokens + amount);
  }

  /** Whole tokens available now (≥ 0). */
  remaining(nowMs: number): number {
    if (!this.enforced) return 0;
    this.refill(nowMs);
    return Math.max(0, Math.floor(this.tokens + 1e-9));
  }

  /** ms until `amount` tokens are available (0 = now); Infinity when the rate is 0. */
  msUntil(amount: number, nowMs: number): number {
    if (!this.enforced) return 0;
    this.refill(nowMs);
    if (this.capacity <= 0) return Number.POSITIVE_INFINITY;
    const need = Math.min(amount, this.capacity) - this.tokens;
    if (need <= 0) return 0;
    return this.ratePerMs > 0 ? Math.ceil(need / this.ratePerMs) : Number.POSITIVE_INFINITY;
  }

  /** ms until the bucket is full again (OpenAI's x-ratelimit-reset-*). */
  msUntilFull(nowMs: number): number {
    if (!this.enforced || this.ratePerMs <= 0) return 0;
    this.refill(nowMs);
    return Math.max(0, Math.ceil((this.capacity - this.tokens) / this.ratePerMs));
  }
}
