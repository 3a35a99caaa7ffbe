/**
 * Open-loop, fixed-rate load (wrk2-style): request i is due at t0 + i/rate whether or not earlier ones
 * have finished, and its latency is counted from that intended time (coordinated-omission corrected).
 * Requests due in the warm-up are sent but not measured. `hooks` run at the measuring window's edges
 * (CPU and memory sampling). Bounded: after the last send it waits at most `timeoutMs`, then aborts
 * what is left and counts it as `timeout` errors.
 */
import { Pool } from "undici";
import { Exchange, dispatchOptions, type ExchangeSink, type RequestSpec } from "./exchange";
import { SampleBuffer, type Distribution } from "./stats";

export interface WindowHooks {
  onStart?(): void;
  onEnd?(): void;
}

export interface OpenLoopOptions {
  readonly spec: RequestSpec;
  readonly rate: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly connections: number;
  readonly timeoutMs: number;
  readonly hooks?: WindowHooks;
  /** Record inter-chunk gaps (streams). */
  readonly gaps?: boolean;
}

export interface LoadOutcome {
  /** Every request sent, warm-up included. */
  readonly sent: number;
  /** Requests sent in the measuring window. */
  readonly measured: number;
  readonly ok: number;
  /** Every failed request, warm-up included. */
  readonly errors: number;
  readonly errorKinds: Record<string, number>;
  /** Successful responses completed inside the window, per second of window. */
  readonly achievedRps: number;
  /** Responses (any request) completed inside the window: the denominator for CPU per request. */
  readonly completedInWindow: number;
  readonly windowMs: number;
  /** Full response (JSON) or time to last byte (stream), from the intended send time. */
  readonly latency: Distribution;
  readonly ttfb: Distribution;
  readonly gaps: Distribution | null;
  /** How late the generator actually sent (its own scheduling error). */
  readonly sendLag: Distribution;
  /** CPU the generator itself used in the window, ns. */
  readonly clientCpuNs: number;
}

export class Collector implements ExchangeSink {
  readonly latency: SampleBuffer;
  readonly ttfb: SampleBuffer;
  readonly gapSamples: SampleBuffer | null;
  readonly errorKinds: Record<string, number> = {};
  ok = 0;
  errors = 0;
  outstanding = 0;
  completedInWindow = 0;
  windowStart = Number.POSITIVE_INFINITY;
  windowEnd = Number.POSITIVE_INFINITY;
  private idle: (() => void) | null = null;

  constructor(expected: number, gaps: boolean) {
    this.latency = new SampleBuffer(expected);
    this.ttfb = new SampleBuffer(expected);
    this.gapSamples = gaps ? new SampleBuffer(expected * 24) : null;
  }

  done(x: Exchange): void {
    this.outstanding--;
    if (x.error !== null) {
      this.errors++;
      this.errorKinds[x.error] = (this.errorKinds[x.error] ?? 0) + 1;
    } else {
      if (x.endAt >= this.windowStart && x.endAt <= this.windowEnd) this.completedInWindow++;
      if (x.measured) {
        this.ok++;
        this.latency.push(x.endAt - x.intended);
        this.ttfb.push(x.firstByteAt - x.intended);
      }
    }
    if (this.outstanding === 0 && this.idle !== null) this.idle();
  }

  gap(ms: number): void {
    this.gapSamples?.push(ms);
  }

  /** Resolves when nothing is outstanding, or after `ms`. */
  drained(ms: number): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idle = null;
        resolve();
      }, ms);
      this.idle = () => {
        clearTimeout(timer);
        this.idle = null;
        resolve();
      };
    });
  }

  /** The load point's result from what was collected. */
  outcome(sent: number, measured: number, windowMs: number, sendLag: Distribution, clientCpuNs: number): LoadOutcome {
    return {
      sent,
      measured,
      ok: this.ok,
      errors: this.errors,
      errorKinds: this.errorKinds,
      achievedRps: (this.completedInWindow * 1000) / windowMs,
      completedInWindow: this.completedInWindow,
      windowMs,
      latency: this.latency.summarize(),
      ttfb: this.ttfb.summarize(),
      gaps: this.gapSamples ? this.gapSamples.summarize() : null,
      sendLag,
      clientCpuNs,
    };
  }
}

export function newPool(origin: string, connections: number, timeoutMs: number): Pool {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

export async function runOpenLoop(o: OpenLoopOptions): Promise<LoadOutcome> {
  const interval = 1000 / o.rate;
  const total = Math.max(1, Math.round(((o.warmupMs + o.durationMs) * o.rate) / 1000));
  const warmupCount = Math.round((o.warmupMs * o.rate) / 1000);
  const pool = newPool(o.spec.origin, o.connections, o.timeoutMs);
  const options = dispatchOptions(o.spec);
  const sink = new Collector(total - warmupCount, o.gaps === true);
  const lag = new SampleBuffer(total);
  const live = new Set<Exchange>();
  const tracked: ExchangeSink = {
    done: (x) => {
      live.delete(x);
      sink.done(x);
    },
    gap: (ms) => sink.gap(ms),
  };
  const t0 = performance.now() + 20;
  let cpuAtStart = process.cpuUsage();
  let clientCpuNs = 0;

  const windowStart = setTimeout(() => {
    sink.windowStart = performance.now();
    cpuAtStart = process.cpuUsage();
    o.hooks?.onStart?.();
  }, Math.max(0, t0 + o.warmupMs - performance.now()));
  const windowEnd = setTimeout(() => {
    sink.windowEnd = performance.now();
    const used = process.cpuUsage(cpuAtStart);
    clientCpuNs = (used.user + used.system) * 1000;
    o.hooks?.onEnd?.();
  }, Math.max(0, t0 + o.warmupMs + o.durationMs - performance.now()));

  await new Promise<void>((allSent) => {
    let i = 0;
    const tick = (): void => {
      const now = performance.now();
      while (i < total) {
        const due = t0 + i * interval;
        if (due > now) break;
        const x = new Exchange(due, i >= warmupCount, o.spec, tracked);
        if (i >= warmupCount) lag.push(now - due);
        sink.outstanding++;
        live.add(x);
        pool.dispatch(options, x);
        i++;
      }
      if (i < total) setTimeout(tick, Math.max(0, t0 + i * interval - performance.now()));
      else allSent();
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
  // The window closes on its own timer; then give the stragglers up to timeoutMs.
  await new Promise<void>((r) => setTimeout(r, Math.max(0, t0 + o.warmupMs + o.durationMs - performance.now()) + 1));
  await sink.drained(o.timeoutMs);
  for (const x of live) if (!x.isSettled) x.timeout();
  await sink.drained(1000);
  clearTimeout(windowStart);
  clearTimeout(windowEnd);
  await pool.destroy().catch(() => undefined);

  const windowMs = Number.isFinite(sink.windowEnd) ? sink.windowEnd - sink.windowStart : o.durationMs;
  return sink.outcome(total, total - warmupCount, windowMs, lag.summarize(), clientCpuNs);
}
