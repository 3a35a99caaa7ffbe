/**
 * `npm run bench` entry point (node dist/bench/run.js). Modes: the full suite (default), --quick (smoke,
 * ≤ 60 s), --micro (micro-benchmarks only), --soak (long fixed-rate run), --ab REF (two builds at once).
 * Flags: see lib/args.ts.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runMicro } from "./micro/run-micro";
import { runAb } from "./lib/ab";
import { summarizeScenario } from "./lib/aggregate";
import { parseOptions, USAGE, type BenchOptions } from "./lib/args";
import { evaluateGoals } from "./lib/goals";
import { killAllLaunched } from "./lib/launcher";
import { log } from "./lib/log";
import { decidePlacement, machineInfo, pinSelf, which } from "./lib/machine";
import { procAvailable } from "./lib/proc-stats";
import { publish, rerender, writeReport } from "./lib/report-files";
import type { BenchReport, ScenarioReport, TargetReport } from "./lib/report-types";
import { runSuite } from "./lib/suite";
import type { MicroResult } from "./micro/harness";

const ROOT = join(__dirname, "../..");
const FULL_MICRO = { minMs: 200, samples: 5 };

/**
 * Points where the load side may be the limit (load core nearly saturated) or the generator ran late
 * (open-streams opens 1,000 connections at once, and its latency is not a reported figure).
 */
function loadSideWarnings(scenarios: readonly ScenarioReport[], pinned: boolean): string[] {
  const out: string[] = [];
  for (const s of scenarios) {
    for (const p of s.points) {
      const busy = p.median.loadSideCpuPct;
      if (pinned && busy !== undefined && busy >= 90 && !p.target.startsWith("direct")) {
        out.push(`load core ${busy.toFixed(0)}% busy during ${s.id} ${p.point} → ${p.target}: the load side may limit this point`);
      }
      const lag = p.median["sendLag.p99"];
      if (lag !== undefined && lag > 5 && s.id !== "open-streams") {
        out.push(`generator lag p99 ${lag.toFixed(1)} ms during ${s.id} ${p.point} → ${p.target}: the machine was busy; tail latencies there are unreliable`);
      }
    }
  }
  return out;
}

function modeOf(o: BenchOptions): BenchReport["mode"] {
  if (o.micro) return "micro";
  if (o.soak) return "soak";
  return o.quick ? "quick" : "full";
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  if (o.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (o.render !== null) {
    const files = rerender(o.render);
    log(`rendered ${files.markdown}${files.svg ? `, ${files.svg}` : ""}`);
    if (o.publish) log(`published ${publish(join(ROOT, "bench"), files, files.mode).join(", ")}`);
    return 0;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const mode = modeOf(o);
  const outDir = o.out ?? join(ROOT, "bench/results");
  const scratchDir = join(ROOT, "bench/scratch");
  mkdirSync(scratchDir, { recursive: true });
  const warnings: string[] = [];
  const machine = machineInfo(ROOT); // before pinning narrows what this process sees
  const placement = decidePlacement(o.pin && mode !== "micro", o.quick ? "quick mode (no pinning)" : mode === "micro" ? "micro-benchmarks run in-process" : "--no-pin");
  if (!placement.pinned && mode !== "micro" && !o.quick) warnings.push(`CPU pinning off: ${placement.reason}`);
  if (placement.pinned && !pinSelf(placement.loadCore as number)) warnings.push("could not pin the load generator itself to the load core");
  if (!procAvailable() && mode !== "micro") warnings.push("/proc is not available: CPU and memory are not measured");
  const wrkPath = o.wrk && mode === "full" ? which("wrk") : null;
  if (o.wrk && mode === "full" && wrkPath === null) warnings.push("wrk not found: max throughput uses the undici closed-loop client (it may be the bottleneck)");
  log(`sidegate bench: ${o.ab !== null ? `A/B against ${o.ab}` : mode}${placement.pinned ? ", pinned" : ""}${wrkPath ? ", wrk" : ""} → ${outDir}`);
  if (o.ab !== null) {
    const ab = await runAb({ ref: o.ab, root: ROOT, scratchDir, outDir, placement, useWrk: wrkPath !== null, rounds: o.passes, roundMs: o.durationMs, log });
    log(`wrote ${ab.json}, ${ab.markdown}`);
    log(`A/B: ${ab.summary.verdict}`);
    for (const w of warnings) log(`warning: ${w}`);
    return 0;
  }

  let micro: MicroResult[] = [];
  let microFailures: string[] = [];
  const report = (extra: Partial<BenchReport>): BenchReport => ({
    schema: 1,
    mode,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationS: (performance.now() - t0) / 1000,
    machine,
    placement,
    loadGenerator: { openLoop: "undici Pool, fixed rate, latency from the intended send time", closedLoop: wrkPath ? "wrk 1 thread" : "undici Pool" },
    settings: {
      passes: o.passes,
      warmupMs: o.warmupMs,
      startWarmupMs: o.startWarmupMs,
      durationMs: o.durationMs,
      rates: o.rates,
      streamRate: 200,
      openStreams: o.quick ? 100 : 1000,
      ...(o.soak ? { soakMinutes: o.soakMinutes } : {}),
    },
    warnings,
    targets: [],
    scenarios: [],
    micro,
    microFailures,
    goals: [],
    ...extra,
  });

  let final: BenchReport;
  if (mode === "micro") {
    log("micro-benchmarks");
    ({ results: micro, failures: microFailures } = runMicro(FULL_MICRO, log));
    final = report({ micro, microFailures });
  } else {
    const profileDir = o.profile ? join(outDir, "profiles") : null;
    if (profileDir !== null) mkdirSync(profileDir, { recursive: true });
    const timing = { warmupMs: o.warmupMs, durationMs: o.durationMs };
    const suite = await runSuite(o, { quick: o.quick, placement, timing, useWrk: wrkPath !== null, scratchDir, log }, ROOT, profileDir);
    if (profileDir !== null) log(`CPU profiles (open in Chrome DevTools → Performance, or speedscope): ${profileDir}`);
    warnings.push(...suite.warnings);
    const scenarios = suite.runs.map(summarizeScenario);
    warnings.push(...loadSideWarnings(scenarios, placement.pinned));
    const sentBy = (ids: string[]): number =>
      scenarios.flatMap((s) => s.points).filter((p) => ids.includes(p.target)).reduce((a, p) => a + p.passes.reduce((b, m) => b + (m.sent ?? 0), 0), 0);
    const targets: TargetReport[] = suite.targets.map((t) => {
      const after = suite.afterRun[t.id] ?? {};
      return {
        id: t.id,
        label: t.label,
        kind: t.kind,
        notes: t.notes,
        afterRun: t.id === "sidegate" && Object.keys(after).length > 0 ? { ...after, requestsSent: sentBy(["sidegate", "sidegate-translated"]) + suite.sidegateProbeRequests } : after,
      };
    });
    if (mode !== "soak") {
      log("micro-benchmarks");
      ({ results: micro, failures: microFailures } = runMicro(o.quick ? { minMs: 20, samples: 1 } : FULL_MICRO, log));
    }
    const goals = evaluateGoals(scenarios, o.rates, mode === "soak" ? o.soakMinutes : null);
    final = report({ targets, scenarios, micro, microFailures, goals });
  }
  const prefix = mode === "micro" ? "micro-" : mode === "soak" ? "soak-" : "";
  const files = writeReport(outDir, final, prefix);
  log(`wrote ${files.json}, ${files.markdown}${files.svg ? `, ${files.svg}` : ""}`);
  if (o.publish) log(`published ${publish(join(ROOT, "bench"), files, mode).join(", ")}`);
  for (const g of final.goals.filter((x) => mode !== "soak" || x.id === "soak")) log(`goal ${g.met === null ? "—  " : g.met ? "met" : "MISSED"}  ${g.text}: ${g.measured}`);
  for (const w of warnings) log(`warning: ${w}`);
  return 0;
}

process.on("exit", killAllLaunched);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAllLaunched();
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    killAllLaunched();
    process.exit(1);
  },
);
