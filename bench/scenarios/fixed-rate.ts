/**
 * Open-loop JSON load at fixed rates against a 50 ms mock: latency (from the intended send time) and what
 * each proxy adds to it, CPU per request, RSS. Targets are interleaved per rate; a target that cannot
 * keep up at one rate is not driven at the higher ones in the same pass.
 */
import { runOpenLoop } from "../lib/open-loop";
import type { Target } from "../targets/types";
import { connectionsFor, isOverloaded, measure } from "./measure";
import type { BenchContext, Measurement, Scenario, ScenarioOutcome } from "./types";

export const MOCK_LATENCY_MS = 50;

export function fixedRateScenario(rates: readonly number[]): Scenario {
  return {
    id: "fixed-rate",
    title: `Fixed-rate JSON, ${MOCK_LATENCY_MS} ms mock`,
    describes: "full response time from the intended send time (coordinated-omission corrected)",
    async run(targets: readonly Target[], ctx: BenchContext): Promise<ScenarioOutcome> {
      const measurements: Measurement[] = [];
      const overloadedAt = new Map<string, number>();
      for (const rate of rates) {
        for (const target of targets) {
          const point = `${rate} rps`;
          const tooMuch = overloadedAt.get(target.id);
          if (tooMuch !== undefined) {
            measurements.push({ scenario: "fixed-rate", point, target: target.id, metrics: {}, errorKinds: {}, baseline: null, skipped: `overloaded at ${tooMuch} rps` });
            continue;
          }
          ctx.log(`  fixed-rate ${point} → ${target.id}`);
          const spec = target.request({ stream: false, latencyMs: MOCK_LATENCY_MS, chunkDelayMs: 0 });
          const m = await measure({ scenario: "fixed-rate", point, target, ctx, offeredRps: rate }, (hooks) =>
            runOpenLoop({ spec, rate, ...ctx.timing, connections: connectionsFor(rate, MOCK_LATENCY_MS), timeoutMs: 10_000, hooks }),
          );
          measurements.push(m);
          if (isOverloaded(m)) {
            overloadedAt.set(target.id, rate);
            ctx.log(`    overloaded: achieved ${Math.round(m.metrics.achievedRps ?? 0)} rps, errors ${JSON.stringify(m.errorKinds)}`);
          }
        }
      }
      return { status: "ok", reason: "", measurements };
    },
  };
}
