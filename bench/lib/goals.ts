/** The issue's goals, checked against the medians of this run (a benchmark verdict, not a test). */
import { pick } from "./aggregate";
import type { GoalResult, ScenarioReport } from "./report-types";

const SG = "sidegate";
const FLOOR = "bare-uws";

function fmt(v: number | null, digits = 2, unit = ""): string {
  return v === null ? "—" : `${v.toFixed(digits)}${unit}`;
}

function goal(id: string, text: string, measured: string, met: boolean | null): GoalResult {
  return { id, text, measured, met };
}

function le(v: number | null, limit: number): boolean | null {
  return v === null ? null : v <= limit;
}

export function evaluateGoals(s: readonly ScenarioReport[], rates: readonly number[], soakMinutes: number | null): GoalResult[] {
  const maxOf = (t: string): number | null => pick(s, "max-throughput", "max", t, "achievedRps");
  const sgMax = maxOf(SG);
  const floorMax = maxOf(FLOOR);
  const peerMax = maxOf("portkey");
  const goals: GoalResult[] = [
    goal("max-rps", "max throughput, full pipeline, one core ≥ 15,000 RPS", fmt(sgMax, 0, " RPS"), sgMax === null ? null : sgMax >= 15_000),
    goal(
      "max-vs-floor",
      "max throughput ≥ 0.75 × bare uWS floor (same run)",
      sgMax === null || floorMax === null ? "—" : `${(sgMax / floorMax).toFixed(2)} × (${fmt(floorMax, 0)} RPS floor)`,
      sgMax === null || floorMax === null ? null : sgMax >= 0.75 * floorMax,
    ),
    goal(
      "max-vs-peer",
      "max throughput ≥ 20 × Portkey",
      sgMax === null || peerMax === null ? "not measured (run with --peers)" : `${(sgMax / peerMax).toFixed(1)} × (${fmt(peerMax, 0)} RPS)`,
      sgMax === null || peerMax === null ? null : sgMax >= 20 * peerMax,
    ),
  ];
  const cpu = pick(s, "max-throughput", "max", SG, "proxyCpuUsPerReq");
  goals.push(goal("cpu-json", "proxy CPU ≤ 65 µs per non-streaming request (at max)", fmt(cpu, 1, " µs"), le(cpu, 65)));
  const streamPoint = s.find((x) => x.id === "streaming")?.points.find((p) => p.target === SG);
  const cpuStream = streamPoint?.median.proxyCpuUsPerReq;
  goals.push(goal("cpu-stream", "proxy CPU ≤ 1.5 ms per 20-chunk stream", fmt(cpuStream === undefined ? null : cpuStream / 1000, 3, " ms"), le(cpuStream === undefined ? null : cpuStream / 1000, 1.5)));
  for (const rate of rates.filter((r) => r === 1000 || r === 3000)) {
    const point = `${rate} rps`;
    const a50 = pick(s, "fixed-rate", point, SG, "added.latency.p50");
    const f50 = pick(s, "fixed-rate", point, FLOOR, "added.latency.p50");
    const a99 = pick(s, "fixed-rate", point, SG, "added.latency.p99");
    const f99 = pick(s, "fixed-rate", point, FLOOR, "added.latency.p99");
    const d50 = a50 === null || f50 === null ? null : a50 - f50;
    const d99 = a99 === null || f99 === null ? null : a99 - f99;
    goals.push(goal(`added-p50-${rate}`, `added p50 at ${rate} RPS within 0.15 ms of the floor's`, `${fmt(a50, 3)} vs ${fmt(f50, 3)} ms (Δ ${fmt(d50, 3)})`, le(d50, 0.15)));
    goals.push(goal(`added-p99-${rate}`, `added p99 at ${rate} RPS within 1 ms of the floor's`, `${fmt(a99, 3)} vs ${fmt(f99, 3)} ms (Δ ${fmt(d99, 3)})`, le(d99, 1)));
  }
  const ttfb = streamPoint?.median["added.ttfb.p50"] ?? null;
  goals.push(goal("ttfb", "streaming added TTFB p50 ≤ 0.9 ms", fmt(ttfb, 3, " ms"), le(ttfb, 0.9)));
  const rssMax = pick(s, "max-throughput", "max", SG, "proxyRssPeakMb");
  goals.push(goal("rss-max", "peak RSS ≤ 150 MB at max throughput", fmt(rssMax, 0, " MB"), le(rssMax, 150)));
  const open = s.find((x) => x.id === "open-streams")?.points.find((p) => p.target === SG);
  const rssOpen = open?.median.rssOpenMb ?? null;
  const streams = open?.median.streams ?? 0;
  goals.push(
    goal(
      "rss-streams",
      "peak RSS ≤ 250 MB with 1,000 concurrent open streams",
      `${fmt(rssOpen, 0, " MB")}${streams > 0 && streams !== 1000 ? ` (with ${streams} streams)` : ""}`,
      streams === 1000 ? le(rssOpen, 250) : null,
    ),
  );
  goals.push(soakGoal(s, soakMinutes));
  return goals;
}

function mid(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length === 0 ? 0 : (v[Math.floor((v.length - 1) / 2)] as number);
}

/**
 * "Flat" is about drift, not noise: the median p50/p99 of the last third of the windows against the
 * first third, RSS first→last window, and no errors.
 */
function soakGoal(s: readonly ScenarioReport[], minutes: number | null): GoalResult {
  const text = "flat over a 10-minute soak at 1000 RPS";
  const points = s.find((x) => x.id === "soak")?.points ?? [];
  if (minutes === null || points.length < 3) return goal("soak", text, "not run (use --soak)", null);
  const third = Math.max(1, Math.floor(points.length / 3));
  const series = (key: string, from: number, to: number): number[] => points.slice(from, to).map((p) => p.median[key] ?? 0);
  const drift = (key: string): number => mid(series(key, points.length - third, points.length)) - mid(series(key, 0, third));
  const rssGrowth = (points[points.length - 1]?.median.proxyRssMb ?? 0) - (points[0]?.median.proxyRssMb ?? 0);
  const p50 = drift("latency.p50");
  const p99 = drift("latency.p99");
  const errors = points.reduce((a, p) => a + (p.median.errors ?? 0), 0);
  const flat = rssGrowth <= 20 && Math.abs(p50) <= 0.5 && Math.abs(p99) <= 2 && errors === 0;
  const sign = (v: number, d: number): string => `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(d)}`;
  const length = minutes >= 10 ? "" : ` (only ${minutes} min)`;
  const measured = `RSS ${sign(rssGrowth, 1)} MB first→last window; drift last vs first third: p50 ${sign(p50, 2)} ms, p99 ${sign(p99, 2)} ms; ${errors} errors${length}`;
  return goal("soak", text, measured, minutes >= 10 ? flat : null);
}
