/** Runs every micro-benchmark group; each group is built lazily so one failing group is reported, not fatal. */
import { runCase, type MicroCase, type MicroOptions, type MicroResult } from "./harness";
import { openAiResponseBody } from "./inputs";
import { requestStageCases } from "./request-stages";
import { sseScannerCases } from "./sse-scanner";
import { responseParseCases, streamDecoderCases, surfaceDecoderCases } from "./stream-decoders";
import { usageCases } from "./usage-batch";
import { usageIngestCases } from "./usage-ingest";

const GROUPS: ReadonlyArray<[string, () => MicroCase[]]> = [
  ["sse scanner", sseScannerCases],
  ["stream decoders", streamDecoderCases],
  ["inbound surface decoders", surfaceDecoderCases],
  ["response parse", () => responseParseCases(openAiResponseBody())],
  ["request stages", requestStageCases],
  ["usage", usageCases],
  ["control plane ingest", usageIngestCases],
];

export interface MicroRun {
  readonly results: MicroResult[];
  readonly failures: string[];
}

export function runMicro(o: MicroOptions, log: (line: string) => void): MicroRun {
  const results: MicroResult[] = [];
  const failures: string[] = [];
  for (const [group, build] of GROUPS) {
    try {
      for (const c of build()) {
        const r = runCase(c, o);
        results.push(r);
        const mb = r.mbPerSec === null ? "" : `  ${r.mbPerSec.toFixed(0)} MB/s`;
        log(`  ${r.group} | ${r.name}: ${Math.round(r.opsPerSec).toLocaleString("en-US")} ops/s${mb}`);
      }
    } catch (err) {
      failures.push(`${group}: ${err instanceof Error ? err.message : String(err)}`);
      log(`  ${group}: FAILED ${String(err)}`);
    }
  }
  return { results, failures };
}
