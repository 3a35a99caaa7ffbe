/**
 * Exponentially weighted moving average over irregular samples, with a time constant rather than a fixed
 * weight: a sample after a long quiet gap counts for more than one in a burst. Empty until the first sample.
 */
export class Ewma {
  private current = 0;
  private lastAt = 0;
  private seen = false;

  constructor(private readonly tauMs: number) {}

  get value(): number {
    return this.current;
  }

  get hasValue(): boolean {
    return this.seen;
  }

  add(sample: number, now: number): void {
    if (!this.seen) {
      this.current = sample;
      this.seen = true;
      this.lastAt = now;
      return;
    }
    const alpha = 1 - Math.exp(-Math.max(0, now - this.lastAt) / this.tauMs);
    // A floor on alpha keeps bursts of samples at one instant moving the average.
    const weight = Math.max(alpha, 0.05);
    this.current += weight * (sample - this.current);
    this.lastAt = now;
  }
}
