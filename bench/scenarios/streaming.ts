/**
 * Open-loop SSE: streams per second of 20 content chunks, 50 ms to the first chunk and a fixed delay
 * between chunks. Time to first byte, inter-chunk gaps, time to last byte, proxy CPU per stream.
 */
import { runOpenLoop } from "../lib/open-loop";
import type { Target } from "../targets/types";
import { connectionsFor, measure } from "./measure";
import type { BenchContext, Measurement, Scenario, ScenarioOutcome } from "./types";

export const STREAM_LATENCY_MS = 50;
export const CHUNK_DELAY_MS = 5;
const CHUNKS = 20;

export function streamingScenario(rate: number): Scenario {
  return {
    id: "streaming",
    title: `SSE streams, ${CHUNKS} chunks + usage chunk, ${STREAM_LATENCY_MS} ms + ${CHUNK_DELAY_MS} ms/chunk mock, ${rate} streams/s`,
    describes: "time to last byte; `ttfb` = first body byte; `gap` = between body chunks",
    async run(targets: readonly Target[], ctx: BenchContext): Promise<ScenarioOutcome> {
      const measurements: Measurement[] = [];
      const streamMs = STREAM_LATENCY_MS + CHUNKS * CHUNK_DELAY_MS;
      for (const target of targets) {
        ctx.log(`  streaming ${rate}/s → ${target.id}`);
        // The client asks for the usage chunk, so every target gets the same upstream stream. (Without it
        // Sidegate still asks upstream for usage and strips it: with the mock's fixed chunk spacing that is
        // one more interval before [DONE], which is the mock's timing, not proxy overhead.)
        const spec = target.request({ stream: true, latencyMs: STREAM_LATENCY_MS, chunkDelayMs: CHUNK_DELAY_MS, includeUsage: true });
        const m = await measure({ scenario: "streaming", point: `${rate} streams/s`, target, ctx, offeredRps: rate }, (hooks) =>
          runOpenLoop({ spec, rate, ...ctx.timing, connections: connectionsFor(rate, streamMs), timeoutMs: 15_000, hooks, gaps: true }),
        );
        measurements.push(m);
      }
      return { status: "ok", reason: "", measurements };
    },
  };
}
