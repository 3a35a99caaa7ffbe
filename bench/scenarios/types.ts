/** Shapes shared by scenarios and the runner. */
import type { Placement } from "../lib/machine";
import type { Target } from "../targets/types";

/** Flat numeric metrics of one measurement: `latency.p50`, `proxyCpuUsPerReq`, … (ms, µs, MB as named). */
export type Metrics = Record<string, number>;

export interface Measurement {
  readonly scenario: string;
  /** The load point within the scenario, e.g. "1000 rps" or "max". */
  readonly point: string;
  readonly target: string;
  readonly metrics: Metrics;
  readonly errorKinds: Record<string, number>;
  /** Target id the `added.*` figures compare against (same point, same pass); null = none. */
  readonly baseline: string | null;
  /** Why this point was not measured (e.g. overloaded at a lower rate). */
  readonly skipped?: string;
}

export interface Timing {
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface BenchContext {
  readonly quick: boolean;
  readonly placement: Placement;
  readonly timing: Timing;
  readonly useWrk: boolean;
  readonly scratchDir: string;
  /** Processes on the load side whose CPU is reported (mock upstream, …). */
  readonly loadSidePids: Readonly<Record<string, number>>;
  log(line: string): void;
}

export interface ScenarioOutcome {
  readonly status: "ok" | "skipped" | "failed";
  readonly reason: string;
  readonly measurements: readonly Measurement[];
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** What the scenario's `latency` means, for the report. */
  readonly describes: string;
  run(targets: readonly Target[], ctx: BenchContext, pass: number): Promise<ScenarioOutcome>;
}
