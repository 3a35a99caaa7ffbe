/** Command-line flags of `npm run bench` (node --expose-gc dist/bench/run.js). */
import { parseArgs } from "node:util";

export interface BenchOptions {
  readonly quick: boolean;
  readonly peers: boolean;
  readonly micro: boolean;
  readonly soak: boolean;
  readonly soakMinutes: number;
  /** A git ref whose sidecar is measured against the working tree's, both at once (see lib/ab.ts). */
  readonly ab: string | null;
  readonly out: string | null;
  readonly passes: number;
  readonly warmupMs: number;
  /** Closed-loop load every proxy gets once, right after start (JIT and heap warm before pass 1). */
  readonly startWarmupMs: number;
  readonly durationMs: number;
  readonly rates: readonly number[];
  readonly targets: readonly string[] | null;
  readonly scenarios: readonly string[] | null;
  readonly pin: boolean;
  readonly wrk: boolean;
  readonly publish: boolean;
  /** Write a V8 CPU profile of every proxy under test (node --cpu-prof) into <out>/profiles. */
  readonly profile: boolean;
  /** Re-render the markdown and SVG of an existing result JSON (no measuring). */
  readonly render: string | null;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]      (node --expose-gc dist/bench/run.js [options])

Builds nothing itself (npm run bench builds first). Starts its own mock upstream, Sidegate (control plane +
sidecar), the bare uWS/node:http floors, and measures them one after another; results go to --out.

  --quick             ≤ 60 s smoke run: 1 pass, short windows, no pinning, no wrk, no peers
  --peers             also install (bench/scratch/) and measure @portkey-ai/gateway 1.15.2
  --micro             only the micro-benchmarks (SSE scanner, stream decoders, auth, usage)
  --soak              only the soak: Sidegate at 1000 RPS in windows (--soak-minutes, default 10)
  --soak-minutes N    soak length in minutes
  --ab REF            only an A/B: the sidecar of git REF and the working tree's, on one core, loaded at
                      the same time (--passes rounds, default 6, of --duration seconds, default 8)
  --passes N          passes over every scenario (default 3; --quick 1); the report shows medians
  --duration S        measured seconds per load point (default 10; --quick 1)
  --warmup S          warm-up seconds per load point (default 2; --quick 0.3)
  --start-warmup S    closed-loop seconds every proxy gets once after it starts, before pass 1
                      (default 5; --quick 0; 0 = none)
  --rates A,B,…       fixed rates in RPS (default 250,1000,3000,5000; --quick 250,1000)
  --targets A,B,…     subset of direct,sidegate,bare-uws,bare-node-http,portkey
  --scenarios A,B,…   subset of max-throughput,fixed-rate,streaming,open-streams,translation
  --no-pin            do not pin processes to cores with taskset
  --no-wrk            use the undici closed-loop client even if wrk is installed
  --profile           node --cpu-prof every proxy under test; profiles go to <out>/profiles
  --publish           also copy the chart and tables to bench/README-chart.svg and bench/README-results.md
  --render FILE       only re-render FILE (a result JSON) as FILE.md and FILE.svg (with --publish: also bench/)
  --out DIR           where results go (default bench/results)
  --help
`;

function nonNegative(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0) throw new Error(`${name}: expected a number >= 0, got ${JSON.stringify(raw)}`);
  return n;
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      quick: { type: "boolean", default: false },
      peers: { type: "boolean", default: false },
      micro: { type: "boolean", default: false },
      soak: { type: "boolean", default: false },
      "soak-minutes": { type: "string" },
      ab: { type: "string" },
      out: { type: "string" },
      passes: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      "start-warmup": { type: "string" },
      rates: { type: "string" },
      targets: { type: "string" },
      scenarios: { type: "string" },
      "no-pin": { type: "boolean", default: false },
      "no-wrk": { type: "boolean", default: false },
      publish: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      render: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  const quick = values.quick === true;
  const rates = (values.rates ?? (quick ? "250,1000" : "250,1000,3000,5000")).split(",").map((r) => positive("--rates", r.trim(), 0));
  return {
    quick,
    peers: values.peers === true && !quick,
    micro: values.micro === true,
    soak: values.soak === true,
    soakMinutes: positive("--soak-minutes", values["soak-minutes"], 10),
    ab: values.ab ?? null,
    out: values.out ?? null,
    passes: values.soak === true ? 1 : Math.round(positive("--passes", values.passes, quick ? 1 : values.ab !== undefined ? 6 : 3)),
    warmupMs: positive("--warmup", values.warmup, quick ? 0.3 : 2) * 1000,
    startWarmupMs: nonNegative("--start-warmup", values["start-warmup"], quick ? 0 : 5) * 1000,
    durationMs: positive("--duration", values.duration, quick ? 1 : values.ab !== undefined ? 8 : 10) * 1000,
    rates,
    targets: values.targets === undefined ? null : values.targets.split(",").map((t) => t.trim()),
    scenarios: values.scenarios === undefined ? null : values.scenarios.split(",").map((t) => t.trim()),
    pin: values["no-pin"] !== true && !quick,
    wrk: values["no-wrk"] !== true && !quick,
    publish: values.publish === true,
    profile: values.profile === true,
    render: values.render ?? null,
    help: values.help === true,
  };
}
