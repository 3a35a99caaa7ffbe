/** The human-readable report (`latest.md`): summary in the issue's shape, goals, then every scenario. */
import type { MicroResult } from "../micro/harness";
import type { BenchReport, PointSummary, ScenarioReport, TargetReport } from "./report-types";
import { pick } from "./aggregate";

type Cell = (p: PointSummary) => string;

export function num(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function signed(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return `${v >= 0 ? "+" : "−"}${num(Math.abs(v), digits)}`;
}

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

function labelOf(targets: readonly TargetReport[], id: string): string {
  return targets.find((t) => t.id === id)?.label ?? id;
}

const m = (key: string, digits = 2): Cell => (p) => num(p.median[key], digits);
const added = (key: string, digits = 2): Cell => (p) => signed(p.median[`added.${key}`], digits);
const errors: Cell = (p) => {
  const n = p.median.errors ?? 0;
  const kinds = Object.entries(p.errorKinds).map(([k, v]) => `${k}: ${v}`).join(", ");
  return n === 0 && kinds === "" ? "0" : `${num(n, 0)}${kinds ? ` (${kinds})` : ""}`;
};

function scenarioTable(r: BenchReport, s: ScenarioReport, columns: Array<[string, Cell]>, withPoint: boolean): string {
  const headers = [...(withPoint ? ["point"] : []), "target", ...columns.map(([h]) => h)];
  const rows = s.points.map((p) => {
    const lead = [...(withPoint ? [p.point] : []), labelOf(r.targets, p.target)];
    if (p.skipped !== null) return [...lead, `skipped: ${p.skipped}`, ...columns.slice(1).map(() => "")];
    return [...lead, ...columns.map(([, cell]) => cell(p))];
  });
  return table(headers, rows);
}

const COLUMNS: Record<string, Array<[string, Cell]>> = {
  "fixed-rate": [
    ["achieved RPS", m("achievedRps", 0)],
    ["errors", errors],
    ["p50 ms", m("latency.p50")],
    ["p90 ms", m("latency.p90")],
    ["p99 ms", m("latency.p99")],
    ["p99.9 ms", m("latency.p999")],
    ["added p50 ms", added("latency.p50", 3)],
    ["added p99 ms", added("latency.p99", 3)],
    ["proxy CPU µs/req", m("proxyCpuUsPerReq", 1)],
    ["proxy CPU %", m("proxyCpuPct", 0)],
    ["peak RSS MB", m("proxyRssPeakMb", 0)],
    ["load-side CPU %", m("loadSideCpuPct", 0)],
    ["generator lag p99 ms", m("sendLag.p99", 1)],
  ],
  "max-throughput": [
    ["RPS", m("achievedRps", 0)],
    ["errors", errors],
    ["p50 ms", m("latency.p50")],
    ["p99 ms", m("latency.p99")],
    ["proxy CPU µs/req", m("proxyCpuUsPerReq", 1)],
    ["proxy CPU %", m("proxyCpuPct", 0)],
    ["peak RSS MB", m("proxyRssPeakMb", 0)],
    ["control plane CPU %", m("controlPlaneCpuPct", 0)],
    ["load-side CPU %", m("loadSideCpuPct", 0)],
  ],
  streaming: [
    ["achieved /s", m("achievedRps", 0)],
    ["errors", errors],
    ["TTFB p50 ms", m("ttfb.p50")],
    ["TTFB p99 ms", m("ttfb.p99")],
    ["added TTFB p50", added("ttfb.p50", 3)],
    ["added TTFB p99", added("ttfb.p99", 3)],
    ["gap p50 ms", m("gap.p50")],
    ["gap p99 ms", m("gap.p99")],
    ["added gap p99", added("gap.p99", 3)],
    ["last byte p50 ms", m("latency.p50")],
    ["added last byte p50", added("latency.p50", 3)],
    ["proxy CPU ms/stream", (p) => num(p.median.proxyCpuUsPerReq === undefined ? null : p.median.proxyCpuUsPerReq / 1000, 3)],
    ["peak RSS MB", m("proxyRssPeakMb", 0)],
  ],
  "open-streams": [
    ["streams ok", m("ok", 0)],
    ["errors", errors],
    ["RSS idle MB", m("rssIdleMb", 0)],
    ["RSS, all open MB", m("rssOpenMb", 0)],
    ["VmHWM MB", m("proxyRssPeakMb", 0)],
    ["last byte p50 ms", m("latency.p50", 0)],
    ["proxy CPU ms/stream", (p) => num(p.median.proxyCpuUsPerReq === undefined ? null : p.median.proxyCpuUsPerReq / 1000, 3)],
  ],
  translation: [
    ["achieved /s", m("achievedRps", 0)],
    ["errors", errors],
    ["p50 ms", m("latency.p50")],
    ["p99 ms", m("latency.p99")],
    ["added p50", added("latency.p50", 3)],
    ["added p99", added("latency.p99", 3)],
    ["TTFB p50 ms", m("ttfb.p50")],
    ["added TTFB p50", added("ttfb.p50", 3)],
    ["proxy CPU µs/req", m("proxyCpuUsPerReq", 1)],
    ["peak RSS MB", m("proxyRssPeakMb", 0)],
  ],
  soak: [
    ["achieved RPS", m("achievedRps", 0)],
    ["errors", errors],
    ["p50 ms", m("latency.p50")],
    ["p99 ms", m("latency.p99")],
    ["p99.9 ms", m("latency.p999")],
    ["proxy CPU µs/req", m("proxyCpuUsPerReq", 1)],
    ["RSS MB", m("proxyRssMb", 0)],
    ["peak RSS MB", m("proxyRssPeakMb", 0)],
  ],
};

function summaryTable(r: BenchReport): string {
  const s = r.scenarios;
  const rates = (r.settings.rates as readonly number[] | undefined) ?? [];
  const latRates = rates.filter((x) => x === 1000 || x === 3000);
  const shownRates = latRates.length > 0 ? latRates : rates.slice(-1);
  const stream = s.find((x) => x.id === "streaming");
  const open = s.find((x) => x.id === "open-streams");
  const streamsN = (r.settings.openStreams as number | undefined) ?? 0;
  const headers = [
    "target",
    "max RPS, 0 ms mock",
    "proxy CPU per request at max",
    "peak RSS at max",
    ...shownRates.map((x) => `added p50 / p99, ${x.toLocaleString("en-US")} RPS, 50 ms mock`),
    `added SSE TTFB p50, ${num(r.settings.streamRate as number, 0)} streams/s`,
    "proxy CPU per stream",
    `RSS, ${streamsN.toLocaleString("en-US")} open streams`,
  ];
  const inMain = (id: string): boolean => s.some((x) => x.id !== "translation" && x.points.some((p) => p.target === id));
  const rows = r.targets.filter((t) => inMain(t.id)).map((t) => {
    const maxRps = pick(s, "max-throughput", "max", t.id, "achievedRps");
    const cpu = pick(s, "max-throughput", "max", t.id, "proxyCpuUsPerReq");
    const rss = pick(s, "max-throughput", "max", t.id, "proxyRssPeakMb");
    const lat = shownRates.map((rate) => {
      const point = s.find((x) => x.id === "fixed-rate")?.points.find((p) => p.point === `${rate} rps` && p.target === t.id);
      if (t.id === "direct") return "—";
      if (point === undefined) return "—";
      if (point.skipped !== null) return point.skipped;
      const offered = point.median.offeredRps ?? rate;
      const achieved = point.median.achievedRps ?? 0;
      const base = `${signed(point.median["added.latency.p50"])} / ${signed(point.median["added.latency.p99"], 1)} ms`;
      return achieved < 0.9 * offered ? `overloaded (achieves ${num(achieved, 0)} of ${num(offered, 0)} RPS)` : base;
    });
    const sp = stream?.points.find((p) => p.target === t.id);
    const op = open?.points.find((p) => p.target === t.id);
    const isDirect = t.id === "direct";
    return [
      t.label,
      maxRps === null ? "—" : maxRps >= 10_000 ? `${num(maxRps / 1000, 1)}k` : num(maxRps, 0),
      isDirect || cpu === null ? "—" : `${num(cpu, 0)} µs`,
      isDirect || rss === null ? "—" : `${num(rss, 0)} MB`,
      ...lat,
      isDirect ? "—" : `${signed(sp?.median["added.ttfb.p50"])} ms`,
      isDirect || sp?.median.proxyCpuUsPerReq === undefined ? "—" : `${num(sp.median.proxyCpuUsPerReq / 1000, 2)} ms`,
      isDirect || op?.median.rssOpenMb === undefined ? "—" : `${num(op.median.rssOpenMb, 0)} MB`,
    ];
  });
  return table(headers, rows);
}

function microTable(results: readonly MicroResult[]): string {
  return table(
    ["group", "case", "ops/s", "ns/op", "MB/s", "items/s"],
    results.map((x) => [
      x.group,
      x.name,
      num(x.opsPerSec, 0),
      num(x.nsPerOp, 0),
      x.mbPerSec === null ? "—" : num(x.mbPerSec, 0),
      x.itemsPerSec === null ? "—" : `${num(x.itemsPerSec, 0)} ${x.itemLabel ?? ""}`.trim(),
    ]),
  );
}

export function machineLine(r: BenchReport): string {
  const mc = r.machine;
  return `${mc.cpuModel}, ${mc.cores} cores, ${mc.memoryGb} GB, ${mc.os}, Node ${mc.node}${mc.commit ? `, commit ${mc.commit}` : ""}`;
}

export function placementLine(r: BenchReport): string {
  const p = r.placement;
  return p.pinned
    ? `proxy under test pinned to core ${p.proxyCore}; mock upstream, load generator and control plane on core ${p.loadCore} (taskset)`
    : `not pinned — ${p.reason}`;
}

export function renderMarkdown(r: BenchReport): string {
  const passes = Number(r.settings.passes ?? 1);
  const out: string[] = [
    `# Sidegate benchmark — ${r.mode}, ${passes} pass${passes === 1 ? "" : "es"}${passes > 1 ? " (medians)" : ""}`,
    "",
    `- Machine: ${machineLine(r)}`,
    `- Placement: ${placementLine(r)}`,
    `- Load: open loop ${r.loadGenerator.openLoop}; closed loop ${r.loadGenerator.closedLoop}`,
    r.mode === "soak"
      ? `- Run: ${r.startedAt} (${Math.round(r.durationS)} s); consecutive measuring windows, 2 s warm-up before the first${startWarmup(r)}`
      : `- Run: ${r.startedAt} (${Math.round(r.durationS)} s); per point ${num(Number(r.settings.warmupMs) / 1000, 1)} s warm-up + ${num(Number(r.settings.durationMs) / 1000, 1)} s measured${startWarmup(r)}`,
  ];
  for (const w of r.warnings) out.push(`- ⚠ ${w}`);
  const goals = r.mode === "soak" ? r.goals.filter((g) => g.id === "soak") : r.goals;
  if (r.scenarios.length > 0) {
    if (r.mode !== "soak") out.push("", "## Summary", "", summaryTable(r));
    out.push("", "## Goals", "");
    out.push(table(["goal", "measured", "met"], goals.map((g) => [g.text, g.measured, g.met === null ? "—" : g.met ? "yes" : "**no**"])));
  }
  for (const s of r.scenarios) {
    out.push("", `## ${s.title}`, "");
    if (s.status !== "ok") {
      out.push(`${s.status === "skipped" ? "Skipped" : "Failed"}: ${s.reason}`);
      continue;
    }
    out.push(`Latency: ${s.describes}.`, "");
    const columns = COLUMNS[s.id] ?? [["achieved", m("achievedRps", 0)] as [string, Cell]];
    out.push(scenarioTable(r, s, columns, new Set(s.points.map((p) => p.point)).size > 1));
  }
  for (const t of r.targets) {
    if (Object.keys(t.afterRun).length === 0) continue;
    const facts = Object.entries(t.afterRun).map(([k, v]) => `${k} ${num(v, 0)}`).join(", ");
    out.push("", `${t.label}: ${facts}.`);
  }
  if (r.micro.length > 0 || r.microFailures.length > 0) {
    out.push("", "## Micro-benchmarks (single thread, this process)", "", microTable(r.micro));
    for (const f of r.microFailures) out.push("", `Failed: ${f}`);
  }
  out.push("");
  return out.join("\n");
}

/** "; every proxy warmed for 5 s (closed loop) after start" when the run did that. */
function startWarmup(r: BenchReport): string {
  const ms = Number(r.settings.startWarmupMs ?? 0);
  return ms > 0 ? `; every proxy warmed for ${num(ms / 1000, 0)} s (closed loop) after start, before pass 1` : "";
}
