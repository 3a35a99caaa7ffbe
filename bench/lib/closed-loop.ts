/**
 * Closed-loop maximum throughput with undici: `connections` virtual clients, each sending its next request
 * as soon as the previous one finished. Used when `wrk` is absent (and always in --quick). Latency here is
 * service time under saturation, not comparable to the open-loop figures.
 */
import { Exchange, dispatchOptions, type RequestSpec } from "./exchange";
import { Collector, newPool, type LoadOutcome, type WindowHooks } from "./open-loop";
import { SampleBuffer } from "./stats";

export interface ClosedLoopOptions {
  readonly spec: RequestSpec;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  readonly hooks?: WindowHooks;
}

export async function runClosedLoop(o: ClosedLoopOptions): Promise<LoadOutcome> {
  const pool = newPool(o.spec.origin, o.connections, o.timeoutMs);
  const options = dispatchOptions(o.spec);
  const sink = new Collector(1 << 16, false);
  const t0 = performance.now();
  const measureFrom = t0 + o.warmupMs;
  const stopAt = measureFrom + o.durationMs;
  let cpuAtStart = process.cpuUsage();
  let clientCpuNs = 0;
  let measured = 0;
  let sent = 0;
  const live = new Set<Exchange>();

  const send = (): void => {
    const now = performance.now();
    if (now >= stopAt) return;
    const isMeasured = now >= measureFrom;
    sent++;
    if (isMeasured) measured++;
    const x = new Exchange(now, isMeasured, o.spec, {
      done: (e) => {
        live.delete(e);
        sink.done(e);
        if (e.error === null) send();
        else setTimeout(send, 10);
      },
    });
    sink.outstanding++;
    live.add(x);
    pool.dispatch(options, x);
  };
  const windowTimer = setTimeout(() => {
    sink.windowStart = performance.now();
    cpuAtStart = process.cpuUsage();
    o.hooks?.onStart?.();
  }, o.warmupMs);
  for (let i = 0; i < o.connections; i++) send();
  await new Promise<void>((r) => setTimeout(r, Math.max(0, stopAt - performance.now())));
  clearTimeout(windowTimer);
  sink.windowEnd = performance.now();
  const used = process.cpuUsage(cpuAtStart);
  clientCpuNs = (used.user + used.system) * 1000;
  o.hooks?.onEnd?.();
  await sink.drained(o.timeoutMs);
  for (const x of live) x.timeout();
  await sink.drained(1000);
  await pool.destroy().catch(() => undefined);

  const windowMs = sink.windowEnd - sink.windowStart;
  return sink.outcome(sent, measured, windowMs, new SampleBuffer(1).summarize(), clientCpuNs);
}
