/** Starts the mock upstream (mock-upstream.ts) in its own process on the load core. */
import { join } from "node:path";
import { launch, type Launched } from "../lib/launcher";
import { openAiSpec, type Target } from "./types";

export interface MockUpstream {
  readonly origin: string;
  /** What a deployment's base_url points at (`origin + /v1`). */
  readonly baseUrl: string;
  readonly process: Launched;
}

export async function startMockUpstream(core: number | null): Promise<MockUpstream> {
  const child = launch({
    name: "mock-upstream",
    args: [join(__dirname, "mock-upstream.js")],
    env: { PATH: process.env.PATH ?? "", BENCH_PORT: "0", BENCH_MOCK_WORDS: "20" },
    core,
  });
  const m = await child.waitFor(/listening (\d+)/, 15_000);
  const origin = `http://127.0.0.1:${m[1]}`;
  return { origin, baseUrl: `${origin}/v1`, process: child };
}

/** The baseline: the load generator talks to the mock directly. */
export function directTarget(mock: MockUpstream): Target {
  return {
    id: "direct",
    label: "direct to the mock",
    kind: "baseline",
    pid: null,
    helpers: {},
    notes: [],
    request: (p) => openAiSpec(mock.origin, p),
    stop: async () => undefined,
  };
}
