/** Turns per-pass measurements into per-point summaries: `added.*` within each pass, then medians. */
import type { Measurement, Metrics, ScenarioOutcome } from "../scenarios/types";
import type { PointSummary, ScenarioReport } from "./report-types";
import { median } from "./stats";

const ADDED_KEYS = ["latency.p50", "latency.p90", "latency.p99", "latency.p999", "ttfb.p50", "ttfb.p90", "ttfb.p99", "gap.p50", "gap.p99"];

function withAdded(m: Measurement, all: readonly Measurement[]): Metrics {
  if (m.baseline === null || m.skipped !== undefined) return m.metrics;
  const base = all.find((b) => b.point === m.point && b.target === m.baseline && b.skipped === undefined);
  if (base === undefined) return m.metrics;
  const out: Metrics = { ...m.metrics };
  for (const key of ADDED_KEYS) {
    const a = m.metrics[key];
    const b = base.metrics[key];
    if (a !== undefined && b !== undefined) out[`added.${key}`] = a - b;
  }
  return out;
}

function medians(passes: readonly Metrics[]): Metrics {
  const keys = new Set(passes.flatMap((p) => Object.keys(p)));
  const out: Metrics = {};
  for (const key of keys) {
    const m = median(passes.map((p) => p[key]));
    if (m !== null) out[key] = m;
  }
  return out;
}

export interface ScenarioRuns {
  readonly id: string;
  readonly title: string;
  readonly describes: string;
  /** One outcome per pass. */
  readonly outcomes: ScenarioOutcome[];
}

export function summarizeScenario(runs: ScenarioRuns): ScenarioReport {
  const points = new Map<string, { point: string; target: string; passes: Metrics[]; errorKinds: Record<string, number>; skipped: string[] }>();
  const targets: string[] = [];
  for (const outcome of runs.outcomes) {
    for (const m of outcome.measurements) {
      if (!targets.includes(m.target)) targets.push(m.target);
      const key = `${m.point}\u0000${m.target}`;
      const entry = points.get(key) ?? { point: m.point, target: m.target, passes: [], errorKinds: {}, skipped: [] };
      points.set(key, entry);
      if (m.skipped !== undefined) {
        entry.skipped.push(m.skipped);
        continue;
      }
      entry.passes.push(withAdded(m, outcome.measurements));
      for (const [k, n] of Object.entries(m.errorKinds)) entry.errorKinds[k] = (entry.errorKinds[k] ?? 0) + n;
    }
  }
  const failed = runs.outcomes.find((o) => o.status === "failed");
  const skipped = runs.outcomes.length > 0 && runs.outcomes.every((o) => o.status === "skipped");
  const summaries: PointSummary[] = [...points.values()].map((p) => ({
    point: p.point,
    target: p.target,
    passes: p.passes,
    median: medians(p.passes),
    errorKinds: p.errorKinds,
    skipped: p.passes.length === 0 ? (p.skipped[0] ?? "not measured") : null,
  }));
  return {
    id: runs.id,
    title: runs.title,
    describes: runs.describes,
    status: failed ? "failed" : skipped ? "skipped" : "ok",
    reason: failed?.reason ?? (skipped ? (runs.outcomes[0]?.reason ?? "") : ""),
    targets,
    points: summaries,
  };
}

/** The median metric of one point, or null. */
export function pick(scenarios: readonly ScenarioReport[], scenario: string, point: string | null, target: string, key: string): number | null {
  const s = scenarios.find((x) => x.id === scenario);
  const p = s?.points.find((x) => (point === null || x.point === point) && x.target === target);
  const v = p?.median[key];
  return v === undefined ? null : v;
}
