/**
 * The translation path: an OpenAI client → Sidegate → the Anthropic-format mock, against the same mock
 * spoken to directly in its own format. Present but skipped (with the reason) until both the adapter and
 * the mock exist; see targets/anthropic.ts.
 */
import { runOpenLoop } from "../lib/open-loop";
import type { Target } from "../targets/types";
import { connectionsFor, measure } from "./measure";
import type { BenchContext, Measurement, Scenario, ScenarioOutcome } from "./types";

export interface TranslationSetup {
  /** Why it is not measured: "not available yet: …" (skipped) or "failed: …" (a setup error). */
  readonly reason: string;
  /** [direct Anthropic API, Sidegate translating]; null when unavailable. */
  readonly targets: readonly [Target, Target] | null;
}

export function translationScenario(setup: () => TranslationSetup, jsonRate: number, streamRate: number): Scenario {
  return {
    id: "translation",
    title: "Translation path: OpenAI client → Sidegate → Anthropic mock",
    describes: "JSON: full response; SSE: time to last byte, `ttfb` = first body byte (50 ms mock)",
    async run(_targets: readonly Target[], ctx: BenchContext): Promise<ScenarioOutcome> {
      const s = setup();
      if (s.targets === null) {
        const failed = s.reason.startsWith("failed");
        ctx.log(`  translation: ${failed ? "FAILED" : "skipped"} — ${s.reason}`);
        return { status: failed ? "failed" : "skipped", reason: s.reason, measurements: [] };
      }
      const [direct, translated] = s.targets;
      const measurements: Measurement[] = [];
      const points = [
        { point: `json ${jsonRate} rps`, rate: jsonRate, stream: false, chunkDelayMs: 0 },
        { point: `sse ${streamRate} streams/s`, rate: streamRate, stream: true, chunkDelayMs: 5 },
      ];
      for (const p of points) {
        for (const target of [direct, translated]) {
          ctx.log(`  translation ${p.point} → ${target.id}`);
          const spec = target.request({ stream: p.stream, latencyMs: 50, chunkDelayMs: p.chunkDelayMs });
          const m = await measure(
            { scenario: "translation", point: p.point, target, ctx, offeredRps: p.rate, baseline: target === direct ? null : direct.id },
            (hooks) =>
              runOpenLoop({ spec, rate: p.rate, ...ctx.timing, connections: connectionsFor(p.rate, 200), timeoutMs: 15_000, hooks, gaps: p.stream }),
          );
          measurements.push(m);
        }
      }
      return { status: "ok", reason: "", measurements };
    },
  };
}
