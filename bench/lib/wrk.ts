/**
 * Closed-loop maximum throughput with `wrk` (C, epoll), when installed: the load generator then costs far
 * less CPU than a Node client, so a fast target is not limited by it. A warm-up run precedes the measured
 * one. wrk reports no p99.9: that field carries wrk's max.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RequestSpec } from "./exchange";
import { launch } from "./launcher";
import type { LoadOutcome, WindowHooks } from "./open-loop";
import { reapedChildrenCpuNs } from "./proc-stats";
import type { Distribution } from "./stats";

export interface WrkOptions {
  readonly spec: RequestSpec;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly core: number | null;
  readonly scratchDir: string;
  readonly hooks?: WindowHooks;
}

function luaScript(spec: RequestSpec): string {
  const body = spec.body.toString("utf8");
  if (body.includes("]==]")) throw new Error("request body cannot be embedded in the wrk script");
  const lines = ['wrk.method = "POST"', `wrk.body = [==[${body}]==]`];
  for (let i = 0; i + 1 < spec.headers.length; i += 2) {
    lines.push(`wrk.headers[${JSON.stringify(spec.headers[i])}] = ${JSON.stringify(spec.headers[i + 1])}`);
  }
  return `${lines.join("\n")}\n`;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function durationMs(text: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? "");
  return m ? Number(m[1]) * (UNIT_MS[m[2] as string] ?? 1) : 0;
}

export interface WrkReport {
  readonly requests: number;
  readonly rps: number;
  readonly errors: number;
  readonly errorKinds: Record<string, number>;
  readonly latency: Distribution;
}

export function parseWrk(out: string): WrkReport {
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? 0);
  const requests = num(/(\d+) requests in/);
  const errorKinds: Record<string, number> = {};
  const non2xx = num(/Non-2xx or 3xx responses: (\d+)/);
  if (non2xx > 0) errorKinds.non_2xx = non2xx;
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  if (sock) {
    ["connect", "read", "write", "timeout"].forEach((kind, i) => {
      const n = Number(sock[i + 1]);
      if (n > 0) errorKinds[`socket_${kind}`] = n;
    });
  }
  const pct = (p: string): number => durationMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m").exec(out)?.[1]);
  const stats = /Latency\s+(\S+)\s+(\S+)\s+(\S+)/.exec(out);
  const max = durationMs(stats?.[3]);
  return {
    requests,
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    errors: Object.values(errorKinds).reduce((a, b) => a + b, 0),
    errorKinds,
    latency: {
      count: requests,
      mean: durationMs(stats?.[1]),
      min: 0,
      p50: pct("50"),
      p90: pct("90"),
      p99: pct("99"),
      p999: max,
      max,
    },
  };
}

async function wrk(o: WrkOptions, script: string, ms: number, hooks?: WindowHooks): Promise<{ out: string; cpuNs: number }> {
  const seconds = Math.max(1, Math.round(ms / 1000));
  const url = `${o.spec.origin}${o.spec.path}`;
  const cpuBefore = reapedChildrenCpuNs(process.pid) ?? 0;
  const child = launch({
    name: "wrk",
    command: "wrk",
    args: ["-t1", `-c${o.connections}`, `-d${seconds}s`, "--timeout", "10s", "--latency", "-s", script, url],
    core: o.core,
  });
  hooks?.onStart?.();
  await child.exited(seconds * 1000 + 15_000);
  hooks?.onEnd?.();
  return { out: child.tail(8000), cpuNs: (reapedChildrenCpuNs(process.pid) ?? 0) - cpuBefore };
}

export async function runWrk(o: WrkOptions): Promise<LoadOutcome> {
  const script = join(o.scratchDir, `wrk-${process.pid}-${Date.now()}.lua`);
  writeFileSync(script, luaScript(o.spec));
  let warm = 0;
  let run: { out: string; cpuNs: number };
  let windowMs = 0;
  try {
    warm = o.warmupMs > 0 ? parseWrk((await wrk(o, script, o.warmupMs)).out).requests : 0;
    const t = performance.now();
    run = await wrk(o, script, o.durationMs, o.hooks);
    windowMs = performance.now() - t;
  } finally {
    rmSync(script, { force: true });
  }
  const { out, cpuNs } = run;
  const r = parseWrk(out);
  if (r.requests === 0) throw new Error(`wrk produced no result:\n${out}`);
  return {
    sent: warm + r.requests,
    measured: r.requests,
    ok: r.requests - r.errors,
    errors: r.errors,
    errorKinds: r.errorKinds,
    achievedRps: r.rps,
    completedInWindow: r.requests,
    windowMs,
    latency: r.latency,
    ttfb: r.latency,
    gaps: null,
    sendLag: { count: 0, mean: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
    clientCpuNs: cpuNs,
  };
}
