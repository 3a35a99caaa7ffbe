/** Percentiles (nearest rank) and medians over plain numbers. */

export interface Distribution {
  readonly count: number;
  readonly mean: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** Sorts `samples[0..count)` in place and summarizes them; all fields are 0 for an empty set. */
export function distribution(samples: Float64Array, count = samples.length): Distribution {
  if (count === 0) return { count: 0, mean: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const s = samples.subarray(0, count).sort();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += s[i] as number;
  const at = (q: number): number => s[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))] as number;
  return {
    count,
    mean: sum / count,
    min: s[0] as number,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    max: s[count - 1] as number,
  };
}

/** Median of the finite values; null when there are none. */
export function median(values: readonly (number | null | undefined)[]): number | null {
  const v = values.filter((x): x is number => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** A growable Float64Array (no per-sample allocation on the hot path). */
export class SampleBuffer {
  private data: Float64Array;
  private n = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(Math.max(16, initialCapacity));
  }

  get count(): number {
    return this.n;
  }

  push(value: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = value;
  }

  summarize(): Distribution {
    return distribution(this.data, this.n);
  }
}

/** Prefixes every field of a distribution: `{ "latency.p50": … }`. */
export function flatten(prefix: string, d: Distribution): Record<string, number> {
  return {
    [`${prefix}.p50`]: d.p50,
    [`${prefix}.p90`]: d.p90,
    [`${prefix}.p99`]: d.p99,
    [`${prefix}.p999`]: d.p999,
    [`${prefix}.mean`]: d.mean,
    [`${prefix}.max`]: d.max,
  };
}
