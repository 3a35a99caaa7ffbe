/**
 * Starts everything a run measures — mock upstream(s) on the load core, then each target — and runs the
 * scenarios pass by pass, targets interleaved within each load point. Stops every process it started.
 */
import { join } from "node:path";
import { fixedRateScenario } from "../scenarios/fixed-rate";
import { maxThroughputScenario } from "../scenarios/max-throughput";
import { openStreamsScenario } from "../scenarios/open-streams";
import { soakScenario } from "../scenarios/soak";
import { streamingScenario } from "../scenarios/streaming";
import { translationScenario, type TranslationSetup } from "../scenarios/translation";
import { exposedGc, NO_EXPOSED_GC_WARNING } from "./generator-gc";
import type { BenchContext, Scenario, ScenarioOutcome } from "../scenarios/types";
import { anthropicDirectSpec, seedAnthropic, startAnthropicUpstream, translationAvailability, TRANSLATED_MODEL, type AnthropicUpstream } from "../targets/anthropic";
import { startBare } from "../targets/bare";
import { directTarget, startMockUpstream, type MockUpstream } from "../targets/mock";
import { runClosedLoop } from "./closed-loop";
import { runWrk } from "./wrk";
import { installPortkey, startPortkey } from "../targets/portkey";
import { startSidegate, type SidegateTarget } from "../targets/sidegate";
import { openAiSpec, type Target } from "../targets/types";
import type { ScenarioRuns } from "./aggregate";
import type { BenchOptions } from "./args";
import { log } from "./log";
import type { Placement } from "./machine";
import { probe } from "./probe";

export const ALL_TARGETS = ["direct", "sidegate", "bare-uws", "bare-node-http", "portkey"];

export interface SuiteResult {
  readonly runs: ScenarioRuns[];
  /** Every target measured, the translation scenario's included. */
  readonly targets: Target[];
  /** Requests the probes sent through Sidegate (part of what its control plane accounts). */
  readonly sidegateProbeRequests: number;
  readonly afterRun: Record<string, Record<string, number>>;
  readonly warnings: string[];
}

interface Started {
  readonly mock: MockUpstream;
  readonly anthropic: AnthropicUpstream | null;
  readonly targets: Target[];
  readonly translation: TranslationSetup;
}

function wanted(o: BenchOptions): readonly string[] {
  if (o.soak) return ["sidegate"];
  const base: readonly string[] = o.targets ?? (o.quick ? ["direct", "sidegate", "bare-uws"] : ["direct", "sidegate", "bare-uws", "bare-node-http"]);
  const list = o.peers && !base.includes("portkey") ? [...base, "portkey"] : base;
  for (const t of list) if (!ALL_TARGETS.includes(t)) throw new Error(`unknown target ${t} (known: ${ALL_TARGETS.join(", ")})`);
  return list;
}

async function startAll(o: BenchOptions, placement: Placement, root: string, profileDir: string | null, warnings: string[]): Promise<Started> {
  const ids = wanted(o);
  const core = placement.proxyCore;
  const mock = await startMockUpstream(placement.loadCore);
  log(`mock upstream on ${mock.origin} (pid ${mock.process.pid})`);
  const availability = o.soak ? { available: false, reason: "not part of --soak" } : translationAvailability();
  let anthropic: AnthropicUpstream | null = null;
  let translationReason = availability.reason;
  if (availability.available) {
    try {
      anthropic = await startAnthropicUpstream(placement.loadCore);
      log(`anthropic mock on ${anthropic.origin}`);
    } catch (err) {
      translationReason = `failed: the Anthropic mock did not start: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  const targets: Target[] = [];
  let sidegate: SidegateTarget | null = null;
  for (const id of ids) {
    if (id === "direct") targets.push(directTarget(mock));
    else if (id === "sidegate") {
      const a = anthropic;
      sidegate = await startSidegate({
        mockBaseUrl: mock.baseUrl,
        proxyCore: core,
        helperCore: placement.loadCore,
        profileDir,
        ...(a === null ? {} : { seed: (admin) => seedAnthropic(admin, a.baseUrl) }),
      });
      targets.push(sidegate);
    } else if (id === "bare-uws" || id === "bare-node-http") targets.push(await startBare(id, mock.origin, core, profileDir));
    else if (id === "portkey") {
      try {
        const script = installPortkey(join(root, "bench/scratch/peers"), log);
        targets.push(await startPortkey(script, mock.baseUrl, core, profileDir));
      } catch (err) {
        warnings.push(`portkey not measured: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
        continue;
      }
    }
    log(`target ${id} ready${targets[targets.length - 1]?.pid ? ` (pid ${targets[targets.length - 1]?.pid})` : ""}`);
  }
  for (const t of targets) await probe(t);
  const translation = await translationTargets(anthropic, sidegate, translationReason, warnings);
  return { mock, anthropic, targets, translation };
}

async function translationTargets(a: AnthropicUpstream | null, sg: SidegateTarget | null, reason: string, warnings: string[]): Promise<TranslationSetup> {
  if (a === null || sg === null) return { reason: sg === null && a !== null ? "Sidegate is not among the targets" : reason, targets: null };
  const direct: Target = { id: "direct-anthropic", label: "direct to the Anthropic mock", kind: "baseline", pid: null, helpers: {}, notes: [], request: (p) => anthropicDirectSpec(a.origin, p), stop: async () => undefined };
  const auth = ["authorization", `Bearer ${sg.key}`];
  const translated: Target = { ...sg, id: "sidegate-translated", label: "Sidegate, OpenAI → Anthropic", request: (p) => openAiSpec(sg.origin, p, auth, TRANSLATED_MODEL) };
  try {
    await probe(direct);
    await probe(translated);
  } catch (err) {
    const why = `failed: probe through the translation path: ${err instanceof Error ? err.message : String(err)}`;
    warnings.push(`translation scenario ${why}`);
    return { reason: why, targets: null };
  }
  return { reason: "", targets: [direct, translated] };
}

export function scenarioList(o: BenchOptions, translation: () => TranslationSetup): Scenario[] {
  if (o.soak) return [soakScenario(1000, o.soakMinutes, Math.max(2, Math.min(20, Math.round(o.soakMinutes * 2))))];
  const streams = o.quick ? 100 : 1000;
  const all = [
    maxThroughputScenario(o.quick ? 32 : 64),
    fixedRateScenario(o.rates),
    streamingScenario(200),
    openStreamsScenario(streams, o.quick ? 250 : 1000, o.quick ? 40 : 250),
    translationScenario(translation, o.quick ? 250 : 1000, o.quick ? 50 : 200),
  ];
  const chosen = o.scenarios;
  if (chosen === null) return all;
  for (const id of chosen) if (!all.some((s) => s.id === id)) throw new Error(`unknown scenario ${id} (known: ${all.map((s) => s.id).join(", ")})`);
  return all.filter((s) => chosen.includes(s.id));
}

async function runOnce(s: Scenario, targets: Target[], ctx: BenchContext, pass: number): Promise<ScenarioOutcome> {
  try {
    return await s.run(targets, ctx, pass);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    ctx.log(`  ${s.id} FAILED: ${reason}`);
    return { status: "failed", reason, measurements: [] };
  }
}

/**
 * Every proxy (not the direct baseline) gets `ms` of closed-loop JSON load once, right after it starts, so
 * pass 1 measures a process whose JIT and heap have settled, as later passes (and a production sidecar) do.
 * Requests sent, by target.
 */
async function warmUp(targets: readonly Target[], ctx: BenchContext, ms: number): Promise<Map<string, number>> {
  const sent = new Map<string, number>();
  if (ms <= 0) return sent;
  for (const target of targets) {
    if (target.kind === "baseline") continue;
    ctx.log(`warm-up → ${target.id} (${ms / 1000} s closed loop)`);
    const spec = target.request({ stream: false, latencyMs: 0, chunkDelayMs: 0 });
    const timing = { warmupMs: 0, durationMs: ms };
    const outcome = ctx.useWrk
      ? await runWrk({ spec, connections: 64, ...timing, core: ctx.placement.loadCore, scratchDir: ctx.scratchDir })
      : await runClosedLoop({ spec, connections: 64, ...timing, timeoutMs: 10_000 });
    sent.set(target.id, outcome.sent);
  }
  return sent;
}

export async function runSuite(o: BenchOptions, ctxBase: Omit<BenchContext, "loadSidePids">, root: string, profileDir: string | null): Promise<SuiteResult> {
  const warnings: string[] = [];
  if (exposedGc() === null) warnings.push(NO_EXPOSED_GC_WARNING);
  const started = await startAll(o, ctxBase.placement, root, profileDir, warnings);
  const ctx: BenchContext = {
    ...ctxBase,
    loadSidePids: { mock: started.mock.process.pid, ...(started.anthropic ? { "anthropic mock": started.anthropic.process.pid } : {}) },
  };
  const scenarios = scenarioList(o, () => started.translation);
  const runs: ScenarioRuns[] = scenarios.map((s) => ({ id: s.id, title: s.title, describes: s.describes, outcomes: [] }));
  try {
    const warmedUp = await warmUp(started.targets, ctx, o.startWarmupMs);
    for (let pass = 1; pass <= o.passes; pass++) {
      log(`pass ${pass}/${o.passes}`);
      for (let i = 0; i < scenarios.length; i++) {
        const outcome = await runOnce(scenarios[i] as Scenario, started.targets, ctx, pass);
        runs[i]?.outcomes.push(outcome);
      }
    }
    const afterRun: Record<string, Record<string, number>> = {};
    for (const t of started.targets) {
      if (t.afterRun === undefined) continue;
      try {
        afterRun[t.id] = await t.afterRun();
      } catch (err) {
        warnings.push(`${t.id}: after-run check failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const extra = started.translation.targets ?? [];
    const probes = (started.targets.some((t) => t.id === "sidegate") ? 2 : 0) + (extra.length > 0 ? 2 : 0) + (warmedUp.get("sidegate") ?? 0);
    return { runs, targets: [...started.targets, ...extra], sidegateProbeRequests: probes, afterRun, warnings };
  } finally {
    for (const t of [...started.targets].reverse()) await t.stop().catch(() => undefined);
    await started.anthropic?.process.stop();
    await started.mock.process.stop();
  }
}
