/**
 * Runs one load and samples the processes around its measuring window: CPU of the proxy (its process tree),
 * of the load side (generator, mock, control plane) and the proxy's peak RSS (VmHWM, reset before the run).
 */
import { collectGeneratorGarbage } from "../lib/generator-gc";
import type { LoadOutcome, WindowHooks } from "../lib/open-loop";
import { ProcessTree } from "../lib/proc-stats";
import { flatten } from "../lib/stats";
import type { Target } from "../targets/types";
import type { BenchContext, Measurement, Metrics } from "./types";

const MB = 1024 * 1024;

interface Sampled {
  readonly name: string;
  readonly tree: ProcessTree;
  start: number | null;
  end: number | null;
}

function sampled(name: string, pid: number): Sampled {
  return { name, tree: new ProcessTree(pid), start: null, end: null };
}

export interface MeasureOptions {
  readonly scenario: string;
  readonly point: string;
  readonly target: Target;
  readonly ctx: BenchContext;
  readonly offeredRps: number | null;
  readonly baseline?: string | null;
  /** Extra hooks (e.g. an RSS sampler) run with the window's. */
  readonly hooks?: WindowHooks;
  readonly extra?: () => Metrics;
}

export async function measure(o: MeasureOptions, run: (hooks: WindowHooks) => Promise<LoadOutcome>): Promise<Measurement> {
  const proxy = o.target.pid === null ? null : sampled("proxy", o.target.pid);
  const side = [
    ...Object.entries(o.ctx.loadSidePids).map(([n, pid]) => sampled(n, pid)),
    ...Object.entries(o.target.helpers).map(([n, pid]) => sampled(n, pid)),
  ];
  const all = proxy === null ? side : [proxy, ...side];
  proxy?.tree.resetPeak();
  collectGeneratorGarbage();
  const hooks: WindowHooks = {
    onStart: () => {
      for (const s of all) s.start = s.tree.cpuNs();
      o.hooks?.onStart?.();
    },
    onEnd: () => {
      for (const s of all) s.end = s.tree.cpuNs();
      o.hooks?.onEnd?.();
    },
  };
  const out = await run(hooks);
  const metrics: Metrics = {
    achievedRps: out.achievedRps,
    sent: out.sent,
    measured: out.measured,
    ok: out.ok,
    errors: out.errors,
    ...(o.offeredRps === null ? {} : { offeredRps: o.offeredRps }),
    ...flatten("latency", out.latency),
    ...flatten("ttfb", out.ttfb),
    ...(out.gaps ? flatten("gap", out.gaps) : {}),
    "sendLag.p50": out.sendLag.p50,
    "sendLag.p99": out.sendLag.p99,
    clientCpuPct: (out.clientCpuNs / 1e6 / out.windowMs) * 100,
  };
  let loadSideNs = out.clientCpuNs;
  const cpuNs = (s: Sampled): number | null => (s.start === null || s.end === null ? null : s.end - s.start);
  const perReq = (ns: number): number => (out.completedInWindow > 0 ? ns / 1000 / out.completedInWindow : 0);
  if (proxy !== null) {
    const ns = cpuNs(proxy);
    if (ns !== null) {
      metrics.proxyCpuUsPerReq = perReq(ns);
      metrics.proxyCpuPct = (ns / 1e6 / out.windowMs) * 100;
    }
    const mem = proxy.tree.memory();
    if (mem !== null) {
      metrics.proxyRssPeakMb = mem.hwm / MB;
      metrics.proxyRssMb = mem.rss / MB;
    }
  }
  for (const s of side) {
    const ns = cpuNs(s);
    if (ns === null) continue;
    loadSideNs += ns;
    const key = s.name.replace(/[^a-z]+(.)/g, (_m, c: string) => c.toUpperCase());
    metrics[`${key}CpuPct`] = (ns / 1e6 / out.windowMs) * 100;
    metrics[`${key}CpuUsPerReq`] = perReq(ns);
  }
  metrics.loadSideCpuPct = (loadSideNs / 1e6 / out.windowMs) * 100;
  Object.assign(metrics, o.extra?.() ?? {});
  return {
    scenario: o.scenario,
    point: o.point,
    target: o.target.id,
    metrics,
    errorKinds: out.errorKinds,
    baseline: o.baseline === undefined ? (o.target.id === "direct" ? null : "direct") : o.baseline,
  };
}

/** Connections for an open-loop rate: twice the expected concurrency, 32…1024. */
export function connectionsFor(rate: number, latencyMs: number): number {
  return Math.min(1024, Math.max(32, Math.ceil(((rate * (latencyMs + 20)) / 1000) * 2)));
}

export function isOverloaded(m: Measurement): boolean {
  const offered = m.metrics.offeredRps;
  return (m.metrics.errors ?? 0) > 0 || (offered !== undefined && (m.metrics.achievedRps ?? 0) < 0.9 * offered);
}
