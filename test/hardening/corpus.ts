/** Loads the bad-input corpus (data files in test/hardening/corpus/) and runs HTTP cases against a listener. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { answerProblems } from "./check";
import { requestBytes, type HttpCase, type Secrets } from "./cases";
import { rawExchange } from "./raw-http";

/** Repository root, from the compiled location (dist/test/hardening). */
const CORPUS_DIR = join(__dirname, "../../../test/hardening/corpus");

export function loadCorpus<T>(file: string): T[] {
  return JSON.parse(readFileSync(join(CORPUS_DIR, file), "utf8")) as T[];
}

export interface HttpTarget {
  readonly port: number;
  readonly catalogue: ReadonlySet<string>;
  readonly secrets: Secrets;
  /** Resolves when the process still answers promptly; throws otherwise. */
  alive(): Promise<void>;
}

/** Seconds for an answer before a case counts as a stall; slow cases wait out the server's own timeouts. */
const TIMEOUT_MS = 5000;
const SLOW_TIMEOUT_MS = 20_000;

export async function runHttpCase(c: HttpCase, target: HttpTarget): Promise<string[]> {
  const { bytes, bodyStart } = requestBytes(c, target.secrets);
  const answer = await rawExchange(target.port, {
    bytes,
    timeoutMs: c.slow ? SLOW_TIMEOUT_MS : TIMEOUT_MS,
    ...(c.stallAfterBody === undefined ? {} : { stallAfter: bodyStart + c.stallAfterBody }),
    ...(c.endAfterBody === undefined ? {} : { endAfter: bodyStart + c.endAfterBody }),
  });
  const problems = answerProblems(answer, c.expect, target.catalogue);
  try {
    await target.alive();
  } catch (err) {
    problems.push(`listener not answering afterwards: ${(err as Error).message}`);
  }
  return problems.map((p) => `${c.name}: ${p}`);
}

/** Runs every case (slow ones in parallel with the rest); returns every problem found. */
export async function runHttpCorpus(cases: ReadonlyArray<HttpCase>, target: HttpTarget): Promise<string[]> {
  const slow = Promise.all(cases.filter((c) => c.slow).map((c) => runHttpCase(c, target)));
  const problems: string[] = [];
  for (const c of cases.filter((x) => !x.slow)) problems.push(...(await runHttpCase(c, target)));
  for (const p of await slow) problems.push(...p);
  return problems;
}
