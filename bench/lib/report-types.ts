/** The result document (`bench/results/*.json`) and its parts. */
import type { MicroResult } from "../micro/harness";
import type { Metrics } from "../scenarios/types";
import type { MachineInfo, Placement } from "./machine";

export interface PointSummary {
  readonly point: string;
  readonly target: string;
  /** One entry per pass, `added.*` included (vs the baseline in the same pass). */
  readonly passes: Metrics[];
  /** Median of each metric over the passes. */
  readonly median: Metrics;
  /** Summed over the passes. */
  readonly errorKinds: Record<string, number>;
  readonly skipped: string | null;
}

export interface ScenarioReport {
  readonly id: string;
  readonly title: string;
  readonly describes: string;
  readonly status: "ok" | "skipped" | "failed";
  readonly reason: string;
  readonly targets: string[];
  readonly points: PointSummary[];
}

export interface TargetReport {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly notes: readonly string[];
  /** e.g. usage records the control plane accounted, and how many requests were sent. */
  readonly afterRun: Record<string, number>;
}

export interface GoalResult {
  readonly id: string;
  readonly text: string;
  readonly measured: string;
  /** null = not measured in this run. */
  readonly met: boolean | null;
}

export interface BenchReport {
  readonly schema: 1;
  readonly mode: "quick" | "full" | "micro" | "soak";
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationS: number;
  readonly machine: MachineInfo;
  readonly placement: Placement;
  readonly loadGenerator: { readonly openLoop: string; readonly closedLoop: string };
  readonly settings: Record<string, number | string | boolean | readonly number[]>;
  readonly warnings: string[];
  readonly targets: TargetReport[];
  readonly scenarios: ScenarioReport[];
  readonly micro: MicroResult[];
  readonly microFailures: string[];
  readonly goals: GoalResult[];
}
