/**
 * Closed-loop maximum throughput against a 0 ms mock (JSON): wrk when installed and allowed, otherwise the
 * undici closed-loop client. Proxy CPU per request and peak RSS at that load.
 */
import { runClosedLoop } from "../lib/closed-loop";
import { runWrk } from "../lib/wrk";
import type { Target } from "../targets/types";
import { measure } from "./measure";
import type { BenchContext, Measurement, Scenario, ScenarioOutcome } from "./types";

export function maxThroughputScenario(connections: number): Scenario {
  return {
    id: "max-throughput",
    title: "Maximum throughput, JSON, 0 ms mock (closed loop)",
    describes: "service time under saturation (closed loop; not comparable to the open-loop latencies)",
    async run(targets: readonly Target[], ctx: BenchContext): Promise<ScenarioOutcome> {
      const measurements: Measurement[] = [];
      for (const target of targets) {
        ctx.log(`  max-throughput → ${target.id} (${ctx.useWrk ? "wrk" : "undici"}, ${connections} connections)`);
        const spec = target.request({ stream: false, latencyMs: 0, chunkDelayMs: 0 });
        const m = await measure({ scenario: "max-throughput", point: "max", target, ctx, offeredRps: null, baseline: null }, (hooks) =>
          ctx.useWrk
            ? runWrk({ spec, connections, ...ctx.timing, core: ctx.placement.loadCore, scratchDir: ctx.scratchDir, hooks })
            : runClosedLoop({ spec, connections, ...ctx.timing, timeoutMs: 10_000, hooks }),
        );
        measurements.push(m);
      }
      return { status: "ok", reason: "", measurements };
    },
  };
}
