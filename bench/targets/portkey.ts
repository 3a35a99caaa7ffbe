/**
 * The peer: Portkey's open-source gateway, installed at a pinned version into bench/scratch/peers (git-
 * ignored; not a project dependency) and run with its own `build/start-server.js`. A fresh install of
 * 1.15.2 resolves a newer @hono/node-server that breaks its streaming, hence the `overrides`. Routing is
 * per request: `x-portkey-provider: openai` + `x-portkey-custom-host: <mock>/v1`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch } from "../lib/launcher";
import { freePort, waitForHttp } from "../lib/net";
import { openAiSpec, profileArgs, type Target } from "./types";

export const PORTKEY_VERSION = "1.15.2";
const MANIFEST = {
  name: "sidegate-bench-peers",
  private: true,
  description: "Peers for `npm run bench -- --peers`; installed by bench/targets/portkey.ts",
  dependencies: { "@portkey-ai/gateway": PORTKEY_VERSION },
  overrides: { "@hono/node-server": "1.13.5", hono: "4.9.7" },
};

function installedVersion(dir: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "node_modules/@portkey-ai/gateway/package.json"), "utf8")) as { version?: string };
    return pkg.version ?? null;
  } catch {
    return null;
  }
}

/** Installs the pinned gateway into `dir` unless it is already there. Returns the start script. */
export function installPortkey(dir: string, log: (line: string) => void): string {
  mkdirSync(dir, { recursive: true });
  const manifest = `${JSON.stringify(MANIFEST, null, 2)}\n`;
  const manifestPath = join(dir, "package.json");
  const current = existsSync(manifestPath) ? readFileSync(manifestPath, "utf8") : "";
  if (current !== manifest || installedVersion(dir) !== PORTKEY_VERSION) {
    log(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into ${dir} …`);
    writeFileSync(manifestPath, manifest);
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--omit=dev"], { cwd: dir, stdio: "ignore", timeout: 300_000 });
  }
  const script = join(dir, "node_modules/@portkey-ai/gateway/build/start-server.js");
  if (!existsSync(script)) throw new Error(`Portkey install incomplete: ${script} is missing`);
  return script;
}

export async function startPortkey(script: string, mockBaseUrl: string, core: number | null, profileDir: string | null = null): Promise<Target> {
  const port = await freePort();
  const child = launch({
    name: "portkey",
    args: [...profileArgs(profileDir, "portkey"), script, `--port=${port}`, "--headless"],
    env: { PATH: process.env.PATH ?? "" },
    core,
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/`, 30_000, () => child.alive).catch((e: unknown) => {
    throw new Error(`portkey: ${String(e)}\n${child.tail()}`);
  });
  const headers = ["authorization", "Bearer sk-bench-unused", "x-portkey-provider", "openai", "x-portkey-custom-host", mockBaseUrl];
  return {
    id: "portkey",
    label: `Portkey gateway ${PORTKEY_VERSION}`,
    kind: "peer",
    pid: child.pid,
    helpers: {},
    notes: [`npm @portkey-ai/gateway@${PORTKEY_VERSION}, @hono/node-server 1.13.5 and hono 4.9.7 pinned via overrides, --headless`],
    request: (p) => openAiSpec(origin, p, headers),
    stop: async () => void (await child.stop()),
  };
}
