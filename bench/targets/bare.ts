/** Starts one of the bare pass-through floors (bare-uws.ts, bare-node-http.ts) pinned to the proxy core. */
import { join } from "node:path";
import { launch } from "../lib/launcher";
import { openAiSpec, profileArgs, type Target } from "./types";

export type BareKind = "bare-uws" | "bare-node-http";

const LABELS: Record<BareKind, string> = {
  "bare-uws": "bare uWebSockets.js + undici",
  "bare-node-http": "bare node:http + undici",
};

export async function startBare(kind: BareKind, upstreamOrigin: string, core: number | null, profileDir: string | null = null): Promise<Target> {
  const child = launch({
    name: kind,
    args: [...profileArgs(profileDir, kind), join(__dirname, `${kind}.js`)],
    env: { PATH: process.env.PATH ?? "", BENCH_PORT: "0", BENCH_UPSTREAM: upstreamOrigin },
    core,
  });
  const m = await child.waitFor(/listening (\d+)/, 15_000);
  const origin = `http://127.0.0.1:${m[1]}`;
  return {
    id: kind,
    label: LABELS[kind],
    kind: "floor",
    pid: child.pid,
    helpers: {},
    notes: [],
    request: (p) => openAiSpec(origin, p),
    stop: async () => void (await child.stop()),
  };
}
