/**
 * Memory with many concurrent slow streams: `count` streams opened over `rampMs`, each lasting several
 * seconds (20 chunks, `chunkDelayMs` apart), so all are open at once. The proxy's RSS is sampled every
 * 100 ms; `rssOpenMb` is the largest sample, `rssIdleMb` the RSS before.
 */
import { runOpenLoop } from "../lib/open-loop";
import { ProcessTree } from "../lib/proc-stats";
import type { Target } from "../targets/types";
import { measure } from "./measure";
import type { BenchContext, Measurement, Metrics, Scenario, ScenarioOutcome } from "./types";

const MB = 1024 * 1024;

export function openStreamsScenario(count: number, rampMs: number, chunkDelayMs: number): Scenario {
  return {
    id: "open-streams",
    title: `${count.toLocaleString("en-US")} concurrent open streams (memory)`,
    describes: "time to last byte of each slow stream",
    async run(targets: readonly Target[], ctx: BenchContext): Promise<ScenarioOutcome> {
      const measurements: Measurement[] = [];
      const streamMs = 20 * chunkDelayMs;
      for (const target of targets) {
        ctx.log(`  open-streams ${count} → ${target.id}`);
        const tree = target.pid === null ? null : new ProcessTree(target.pid);
        const idle = tree?.memory()?.rss ?? 0;
        let peak = idle;
        let sampler: NodeJS.Timeout | null = null;
        let startedAt = performance.now();
        const sample = (): void => {
          peak = Math.max(peak, tree?.memory()?.rss ?? 0);
        };
        const spec = target.request({ stream: true, latencyMs: 0, chunkDelayMs });
        const m = await measure(
          {
            scenario: "open-streams",
            point: `${count} streams`,
            target,
            ctx,
            offeredRps: null,
            hooks: {
              onStart: () => {
                startedAt = performance.now();
                sampler = setInterval(sample, 100);
              },
            },
            extra: (): Metrics => (tree === null ? { streams: count } : { rssIdleMb: idle / MB, rssOpenMb: peak / MB, streams: count }),
          },
          async (hooks) => {
            const out = await runOpenLoop({
              spec,
              rate: (count * 1000) / rampMs,
              warmupMs: 0,
              durationMs: rampMs,
              connections: count + 16,
              timeoutMs: streamMs + 20_000,
              hooks: { onStart: hooks.onStart },
            });
            if (sampler !== null) clearInterval(sampler);
            hooks.onEnd?.();
            // The CPU window spans every stream's whole life, so per-request figures divide by all of them.
            const windowMs = performance.now() - startedAt;
            return { ...out, windowMs, completedInWindow: out.ok, achievedRps: (out.ok * 1000) / windowMs };
          },
        );
        measurements.push(m);
      }
      return { status: "ok", reason: "", measurements };
    },
  };
}
