/**
 * `npm run bench -- --ab REF`: the sidecar built from git REF ("before") and the working tree's ("after"),
 * both pinned to the proxy core, on one control plane and one mock, loaded at the same time with the same
 * closed loop, round after round (see ab-summary.ts for why at the same time). REF is exported with
 * `git archive` into bench/scratch/ab-<commit> and compiled there against this tree's node_modules.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startMockUpstream } from "../targets/mock";
import { startSidegate } from "../targets/sidegate";
import type { RequestSpec } from "./exchange";
import { runClosedLoop } from "./closed-loop";
import { cpuPerRequestUs, renderAbMarkdown, summarizeAb, type AbRound, type AbSide, type AbSummary } from "./ab-summary";
import type { Placement } from "./machine";
import type { LoadOutcome } from "./open-loop";
import { processCpuNs } from "./proc-stats";
import { runWrk } from "./wrk";

export interface AbOptions {
  readonly ref: string;
  readonly root: string;
  readonly scratchDir: string;
  readonly outDir: string;
  readonly placement: Placement;
  readonly useWrk: boolean;
  /** Measured rounds (a warm-up round precedes them). */
  readonly rounds: number;
  readonly roundMs: number;
  readonly log: (line: string) => void;
}

export interface AbResult {
  readonly summary: AbSummary;
  readonly json: string;
  readonly markdown: string;
}

/** Connections per side: the two loops together keep the one proxy core saturated. */
const CONNECTIONS = 32;

function git(root: string, args: readonly string[]): string {
  return execFileSync("git", ["-C", root, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** Exports and compiles REF once per commit; returns its sidecar CLI and the commit. */
export function buildRef(root: string, scratchDir: string, ref: string, log: (line: string) => void): { cli: string; commit: string; notes: string[] } {
  const commit = git(root, ["rev-parse", "--verify", `${ref}^{commit}`]);
  const dir = join(scratchDir, `ab-${commit.slice(0, 12)}`);
  const cli = join(dir, "dist/cli/sidegate.js");
  const notes: string[] = [];
  if (lockDiffers(root, commit)) {
    notes.push(`${ref}'s package-lock.json differs from this tree's: it runs with this tree's node_modules`);
  }
  if (existsSync(cli)) return { cli, commit, notes };
  log(`building ${ref} (${commit.slice(0, 12)}) in ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync("git", ["-C", root, "archive", "--format=tar", commit], { maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", dir], { input: tar });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { stdio: "inherit" });
  return { cli, commit, notes };
}

function lockDiffers(root: string, commit: string): boolean {
  try {
    return git(root, ["show", `${commit}:package-lock.json`]) !== readFileSync(join(root, "package-lock.json"), "utf8").trim();
  } catch {
    return true;
  }
}

function side(outcome: LoadOutcome, cpuNs: number): AbSide {
  return { requests: outcome.ok, errors: outcome.errors, rps: outcome.achievedRps, cpuUsPerReq: cpuPerRequestUs(cpuNs, outcome.ok) };
}

export async function runAb(o: AbOptions): Promise<AbResult> {
  const built = buildRef(o.root, o.scratchDir, o.ref, o.log);
  const mock = await startMockUpstream(o.placement.loadCore);
  const sg = await startSidegate({ mockBaseUrl: mock.baseUrl, proxyCore: o.placement.proxyCore, helperCore: o.placement.loadCore });
  try {
    const other = await sg.spawnSidecar(built.cli, "bench-sidecar-ref");
    const payload = { stream: false, latencyMs: 0, chunkDelayMs: 0 } as const;
    const headSpec = sg.request(payload);
    const refSpec: RequestSpec = { ...headSpec, origin: other.origin };
    const load = (spec: RequestSpec): Promise<LoadOutcome> =>
      o.useWrk
        ? runWrk({ spec, connections: CONNECTIONS, warmupMs: 0, durationMs: o.roundMs, core: o.placement.loadCore, scratchDir: o.scratchDir })
        : runClosedLoop({ spec, connections: CONNECTIONS, warmupMs: 0, durationMs: o.roundMs, timeoutMs: 10_000 });
    const cpu = (): [number, number] => [processCpuNs(other.pid) ?? 0, processCpuNs(sg.pid as number) ?? 0];
    const rounds: AbRound[] = [];
    for (let round = 0; round <= o.rounds; round++) {
      const [refBefore, headBefore] = cpu();
      // Both loops start in the same tick; which one is dispatched first alternates.
      const [refOut, headOut] =
        round % 2 === 0
          ? await Promise.all([load(refSpec), load(headSpec)])
          : await Promise.all([load(headSpec), load(refSpec)]).then(([h, r]) => [r, h] as const);
      const [refAfter, headAfter] = cpu();
      const r: AbRound = { round, ref: side(refOut, refAfter - refBefore), head: side(headOut, headAfter - headBefore) };
      const f = (x: number): string => x.toFixed(1);
      o.log(`  ${round === 0 ? "warm-up" : `round ${round}/${o.rounds}`}: ref ${f(r.ref.cpuUsPerReq)} µs/req (${Math.round(r.ref.rps)} RPS), working tree ${f(r.head.cpuUsPerReq)} µs/req (${Math.round(r.head.rps)} RPS)`);
      if (round > 0) rounds.push(r);
    }
    await other.stop();
    const summary = summarizeAb(rounds);
    const label = `${o.ref} (${built.commit.slice(0, 12)})`;
    const notes = [
      `${new Date().toISOString()}; ${o.rounds} rounds of ${o.roundMs / 1000} s after a warm-up round; ${o.useWrk ? "two wrk processes" : "two undici closed loops"}, ${CONNECTIONS} connections each, JSON, 0 ms mock`,
      o.placement.pinned ? `both sidecars pinned to core ${o.placement.proxyCore}; mock, load and control plane on core ${o.placement.loadCore}` : `not pinned (${o.placement.reason})`,
      "both sidecars use this tree's control plane, mock and Node flags; CPU is user + system of each sidecar process per answered request",
      ...built.notes,
    ];
    mkdirSync(o.outDir, { recursive: true });
    const json = join(o.outDir, "ab-latest.json");
    const markdown = join(o.outDir, "ab-latest.md");
    writeFileSync(json, `${JSON.stringify({ schema: 1, ref: o.ref, refCommit: built.commit, notes, rounds, summary }, null, 2)}\n`);
    writeFileSync(markdown, renderAbMarkdown(label, rounds, summary, notes));
    return { summary, json, markdown };
  } finally {
    await sg.stop();
    await mock.process.stop();
  }
}
