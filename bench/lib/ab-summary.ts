/**
 * `--ab`: two sidecar builds measured at the same time, round by round, and summarised. Pure.
 *
 * On a VM whose speed drifts by 20 % within minutes, runs one after another cannot show a 5 % change; two
 * processes pinned to the same core and loaded at once see the same machine, so the per-round difference
 * of their CPU per request is what the code changed (a build compared with itself differs by ±0.5 µs).
 */
import { median } from "./stats";

export interface AbSide {
  readonly requests: number;
  readonly errors: number;
  readonly rps: number;
  /** Sidecar CPU (user + system, all threads) per answered request, µs. */
  readonly cpuUsPerReq: number;
}

export interface AbRound {
  readonly round: number;
  /** The reference build ("before"). */
  readonly ref: AbSide;
  /** The working tree ("after"). */
  readonly head: AbSide;
}

export interface AbSummary {
  readonly rounds: number;
  readonly refCpuUsPerReq: number;
  readonly headCpuUsPerReq: number;
  /** Median over rounds of head − ref, µs per request (negative = the working tree is cheaper). */
  readonly diffUsPerReq: number;
  readonly diffMin: number;
  readonly diffMax: number;
  /** diffUsPerReq relative to the reference's median CPU per request. */
  readonly diffPct: number;
  readonly errors: number;
  readonly verdict: string;
}

export function cpuPerRequestUs(cpuNs: number, requests: number): number {
  return requests > 0 ? cpuNs / 1000 / requests : Number.NaN;
}

export function summarizeAb(rounds: readonly AbRound[]): AbSummary {
  const diffs = rounds.map((r) => r.head.cpuUsPerReq - r.ref.cpuUsPerReq).filter(Number.isFinite);
  const ref = median(rounds.map((r) => r.ref.cpuUsPerReq)) ?? Number.NaN;
  const head = median(rounds.map((r) => r.head.cpuUsPerReq)) ?? Number.NaN;
  const diff = median(diffs) ?? Number.NaN;
  const errors = rounds.reduce((n, r) => n + r.ref.errors + r.head.errors, 0);
  const min = diffs.length > 0 ? Math.min(...diffs) : Number.NaN;
  const max = diffs.length > 0 ? Math.max(...diffs) : Number.NaN;
  const pct = ref > 0 ? (100 * diff) / ref : Number.NaN;
  const sign = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(1)}`;
  let verdict: string;
  if (diffs.length === 0) verdict = "no round measured";
  else if (errors > 0) verdict = `${errors} error answers: the comparison is not valid`;
  else if (min <= 0 && max >= 0) verdict = `no clear difference: ${sign(diff)} µs/request (rounds ${sign(min)} … ${sign(max)})`;
  else verdict = `the working tree costs ${sign(diff)} µs/request (${sign(pct)} %), every round the same way (${sign(min)} … ${sign(max)})`;
  return { rounds: diffs.length, refCpuUsPerReq: ref, headCpuUsPerReq: head, diffUsPerReq: diff, diffMin: min, diffMax: max, diffPct: pct, errors, verdict };
}

export function renderAbMarkdown(refLabel: string, rounds: readonly AbRound[], s: AbSummary, notes: readonly string[]): string {
  const f = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : "—");
  const lines = [
    `# Sidegate A/B — ${refLabel} vs the working tree`,
    "",
    ...notes.map((n) => `- ${n}`),
    "",
    `**${s.verdict}.** Median CPU per request: ${f(s.refCpuUsPerReq)} µs (${refLabel}) → ${f(s.headCpuUsPerReq)} µs (working tree).`,
    "",
    "| round | ref RPS | ref µs/req | working tree RPS | working tree µs/req | difference µs/req |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rounds.map((r) => `| ${r.round} | ${f(r.ref.rps, 0)} | ${f(r.ref.cpuUsPerReq)} | ${f(r.head.rps, 0)} | ${f(r.head.cpuUsPerReq)} | ${f(r.head.cpuUsPerReq - r.ref.cpuUsPerReq)} |`),
    "",
  ];
  return lines.join("\n");
}
