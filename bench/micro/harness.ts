/**
 * A small timing harness: warm up, then `samples` rounds of at least `minMs` each, reporting the median
 * rate. The function's return value is kept in a sink so the work cannot be optimised away.
 */
import { median } from "../lib/stats";

export interface MicroResult {
  readonly group: string;
  readonly name: string;
  readonly opsPerSec: number;
  readonly nsPerOp: number;
  /** Input bytes processed per second (MB = 10^6 bytes); null when bytes are not the unit. */
  readonly mbPerSec: number | null;
  /** Secondary rate, e.g. SSE events/s or records/s. */
  readonly itemsPerSec: number | null;
  readonly itemLabel: string | null;
  readonly note: string;
}

export interface MicroOptions {
  readonly minMs: number;
  readonly samples: number;
}

export interface MicroCase {
  readonly group: string;
  readonly name: string;
  readonly run: () => unknown;
  readonly bytesPerOp?: number;
  readonly itemsPerOp?: number;
  readonly itemLabel?: string;
  readonly note?: string;
}

let sink: unknown = null;

/** Keeps a value observable (so the JIT cannot drop the work that produced it). */
export function keep(value: unknown): void {
  sink = value;
}

function timed(run: () => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink = run();
  return performance.now() - t0;
}

/** Iterations that take about `ms` (grown geometrically; doubles as the JIT warm-up). */
function calibrate(run: () => unknown, ms: number): number {
  let n = 1;
  for (;;) {
    const took = timed(run, n);
    if (took >= ms) return n;
    n = took <= 0 ? n * 16 : Math.max(n * 2, Math.ceil((n * ms * 1.2) / took));
  }
}

export function runCase(c: MicroCase, o: MicroOptions): MicroResult {
  const n = calibrate(c.run, o.minMs);
  const rates: number[] = [];
  for (let s = 0; s < o.samples; s++) rates.push((n * 1000) / timed(c.run, n));
  const ops = median(rates) ?? 0;
  void sink;
  return {
    group: c.group,
    name: c.name,
    opsPerSec: ops,
    nsPerOp: ops > 0 ? 1e9 / ops : 0,
    mbPerSec: c.bytesPerOp === undefined ? null : (ops * c.bytesPerOp) / 1e6,
    itemsPerSec: c.itemsPerOp === undefined ? null : ops * c.itemsPerOp,
    itemLabel: c.itemLabel ?? null,
    note: c.note ?? "",
  };
}
