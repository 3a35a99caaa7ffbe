import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort, waitForHttp } from "../../bench/lib/net";

const CLI = join(__dirname, "../../cli/sidegate.js");

/** A real `sidegate sidecar` process on its own port. */
export interface SidecarProcess {
  readonly id: string;
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function spawnSidecar(id: string, env: Record<string, string>): Promise<SidecarProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, "sidecar"], {
    env: {
      PATH: process.env.PATH ?? "",
      SIDEGATE_PORT: String(port),
      SIDEGATE_SIDECAR_ID: id,
      SIDEGATE_METRICS_PORT: "0",
      SIDEGATE_LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/readyz`, 15_000, () => child.exitCode === null).catch((err: unknown) => {
    child.kill("SIGKILL");
    throw new Error(`sidecar ${id} not ready: ${String(err)}\n${out.slice(-2000)}`);
  });
  return {
    id,
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}
