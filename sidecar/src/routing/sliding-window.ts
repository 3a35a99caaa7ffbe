/**
 * Two counters over a sliding time window, kept in a ring of buckets (O(1) per event, fixed memory).
 * Used for breaker error rates and the retry budget.
 */
const BUCKETS = 10;

export class SlidingPair {
  private readonly a = new Array<number>(BUCKETS).fill(0);
  private readonly b = new Array<number>(BUCKETS).fill(0);
  private start = 0;
  private index = 0;

  constructor(private readonly windowMs: number) {}

  addA(now: number): void {
    this.advance(now);
    this.a[this.index] = (this.a[this.index] as number) + 1;
  }

  addB(now: number): void {
    this.advance(now);
    this.b[this.index] = (this.b[this.index] as number) + 1;
  }

  /** [sum of a, sum of b] over the window ending at `now`. */
  sums(now: number): [number, number] {
    this.advance(now);
    let a = 0;
    let b = 0;
    for (let i = 0; i < BUCKETS; i++) {
      a += this.a[i] as number;
      b += this.b[i] as number;
    }
    return [a, b];
  }

  reset(now: number): void {
    this.a.fill(0);
    this.b.fill(0);
    this.start = now;
    this.index = 0;
  }

  private advance(now: number): void {
    const width = this.windowMs / BUCKETS;
    if (this.start === 0) this.start = now;
    let steps = Math.floor((now - this.start) / width);
    if (steps <= 0) return;
    if (steps >= BUCKETS) {
      this.reset(now);
      return;
    }
    this.start += steps * width;
    while (steps-- > 0) {
      this.index = (this.index + 1) % BUCKETS;
      this.a[this.index] = 0;
      this.b[this.index] = 0;
    }
  }
}
