/**
 * Soak: Sidegate at a fixed rate (JSON, 50 ms mock) for many minutes, measured in consecutive windows so
 * drift shows: latency, CPU per request and RSS per window. Run only with --soak.
 */
import { runOpenLoop } from "../lib/open-loop";
import type { Target } from "../targets/types";
import { MOCK_LATENCY_MS } from "./fixed-rate";
import { connectionsFor, measure } from "./measure";
import type { BenchContext, Measurement, Scenario, ScenarioOutcome } from "./types";

export function soakScenario(rate: number, minutes: number, windows: number): Scenario {
  return {
    id: "soak",
    title: `Soak: ${rate} rps for ${minutes} min (JSON, ${MOCK_LATENCY_MS} ms mock)`,
    describes: "full response time from the intended send time, per window",
    async run(targets: readonly Target[], ctx: BenchContext): Promise<ScenarioOutcome> {
      const target = targets.find((t) => t.id === "sidegate");
      if (target === undefined) return { status: "skipped", reason: "Sidegate is not among the targets", measurements: [] };
      const windowMs = Math.max(1000, (minutes * 60_000) / windows);
      const spec = target.request({ stream: false, latencyMs: MOCK_LATENCY_MS, chunkDelayMs: 0 });
      const measurements: Measurement[] = [];
      for (let w = 1; w <= windows; w++) {
        ctx.log(`  soak window ${w}/${windows} (${Math.round(windowMs / 1000)} s)`);
        const m = await measure({ scenario: "soak", point: `window ${String(w).padStart(2, "0")}`, target, ctx, offeredRps: rate, baseline: null }, (hooks) =>
          runOpenLoop({ spec, rate, warmupMs: w === 1 ? 2000 : 0, durationMs: windowMs, connections: connectionsFor(rate, MOCK_LATENCY_MS), timeoutMs: 10_000, hooks }),
        );
        measurements.push(m);
      }
      return { status: "ok", reason: "", measurements };
    },
  };
}
