/**
 * A one-label prom-client Histogram whose observations are tallied in plain arrays (a Map lookup, a bucket
 * search, three additions) and exported at scrape time in exactly prom-client's own shape. prom-client's
 * `observe` validates and hashes the label object and stringifies the bucket bound on every call, which
 * at proxy request rates is a measurable share of the hot path.
 */
import { Histogram, type Registry } from "prom-client";

interface Series {
  readonly labelValue: string;
  /** Per bucket (not cumulative); the last slot is above every bound (+Inf). */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

export interface TalliedHistogramOptions<T extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelName: T;
  readonly buckets: readonly number[];
  readonly registry: Registry;
}

type Exported<T extends string> = Awaited<ReturnType<Histogram<T>["get"]>>;

/** One exported sample as prom-client's Registry reads it (labels of the series ride in `sharedLabels`). */
interface Sample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly sharedLabels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly metricName: string;
  /** As prom-client sets it: null on buckets, undefined on sum and count (exemplars are not supported). */
  readonly exemplar: null | undefined;
}

export class TalliedHistogram<T extends string> extends Histogram<T> {
  private readonly bounds: Float64Array;
  private readonly series = new Map<string, Series>();

  constructor(private readonly o: TalliedHistogramOptions<T>) {
    const buckets = [...o.buckets].sort((a, b) => a - b);
    super({ name: o.name, help: o.help, labelNames: [o.labelName], buckets, registers: [o.registry] });
    this.bounds = Float64Array.from(buckets);
  }

  /** Hot path. Non-finite values are ignored (prom-client would throw). */
  tally(labelValue: string, value: number): void {
    if (!Number.isFinite(value)) return;
    let s = this.series.get(labelValue);
    if (s === undefined) {
      s = { labelValue, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(labelValue, s);
    }
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    s.counts[i] = (s.counts[i] as number) + 1;
    s.sum += value;
    s.count++;
  }

  override async get(): Promise<Exported<T>> {
    const data = this.exported();
    const values = data.values.map(({ sharedLabels, labels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } }));
    return { ...data, values } as unknown as Exported<T>;
  }

  /** What prom-client's Registry renders: the same samples, in the same order, as prom-client's Histogram. */
  async getForPromString(): Promise<Exported<T>> {
    return this.exported() as unknown as Exported<T>;
  }

  override reset(): void {
    super.reset();
    // prom-client's constructor calls reset() before this class's fields exist.
    (this.series as Map<string, Series> | undefined)?.clear();
  }

  private exported(): { name: string; help: string; type: string; aggregator: string; values: Sample[] } {
    const name = this.o.name;
    const values: Sample[] = [];
    for (const s of this.series.values()) {
      const shared = { [this.o.labelName]: s.labelValue };
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.counts[i] as number;
        values.push({ labels: { le: this.bounds[i] as number }, sharedLabels: shared, value: acc, metricName: `${name}_bucket`, exemplar: null });
      }
      values.push(
        { labels: { le: "+Inf" }, sharedLabels: shared, value: s.count, metricName: `${name}_bucket`, exemplar: null },
        { labels: {}, sharedLabels: shared, value: s.sum, metricName: `${name}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: shared, value: s.count, metricName: `${name}_count`, exemplar: undefined },
      );
    }
    return { name, help: this.o.help, type: "histogram", aggregator: "sum", values };
  }
}
