/** Real `sidegate` processes for end-to-end tests: spawn, watch output, signal, wait for exit. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { waitForHttp } from "../../bench/lib/net";
import { waitFor } from "./wait";

const CLI = join(__dirname, "../../cli/sidegate.js");

export interface CliProcess {
  readonly child: ChildProcess;
  output(): string;
  readonly exit: Promise<number | null>;
  alive(): boolean;
}

export function runCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let running = true;
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running = false;
      resolve(code);
    }),
  );
  return { child, output: () => out, exit, alive: () => running };
}

/** SIGKILL (no chance to flush or clean up) and wait until the process is gone. */
export async function killHard(p: CliProcess): Promise<void> {
  if (p.alive()) p.child.kill("SIGKILL");
  await p.exit;
}

export interface ControlPlaneProcessOptions {
  readonly dataDir: string;
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly adminToken: string;
  readonly sidecarToken: string;
  readonly masterKey: string;
}

/** Fresh secrets for a control plane keeping its store in `dataDir`, on two ports from one `freePorts` call. */
export function controlPlaneProcessOptions(dataDir: string, [grpcPort, httpPort]: readonly [number, number]): ControlPlaneProcessOptions {
  return {
    dataDir,
    grpcPort,
    httpPort,
    adminToken: "adm-" + randomBytes(18).toString("base64url"),
    sidecarToken: "sct-" + randomBytes(18).toString("base64url"),
    masterKey: randomBytes(32).toString("base64"),
  };
}

/** `sidegate control-plane`, resolved once its admin API answers. */
export async function startControlPlaneProcess(o: ControlPlaneProcessOptions): Promise<CliProcess> {
  const cp = runCli(["control-plane"], {
    SIDEGATE_DATA_DIR: o.dataDir,
    SIDEGATE_CP_GRPC: `127.0.0.1:${o.grpcPort}`,
    SIDEGATE_CP_HTTP: `127.0.0.1:${o.httpPort}`,
    SIDEGATE_ADMIN_TOKEN: o.adminToken,
    SIDEGATE_SIDECAR_TOKEN: o.sidecarToken,
    SIDEGATE_MASTER_KEY: o.masterKey,
    SIDEGATE_LOG_LEVEL: "warn",
  });
  await waitForHttp(`http://127.0.0.1:${o.httpPort}/api/v1/teams`, 15_000, cp.alive, 401).catch((err: Error) => {
    cp.child.kill("SIGKILL");
    throw new Error(`${err.message}\n${cp.output().slice(-2000)}`);
  });
  return cp;
}

export interface SidecarProcessOptions {
  readonly id: string;
  readonly port: number;
  readonly grpcPort: number;
  readonly sidecarToken: string;
  readonly dataDir: string;
  readonly snapshotKey: string;
  readonly env?: Record<string, string>;
}

/** `sidegate sidecar` with its own data dir; resolved once it is listening (not necessarily ready). */
export async function startSidecarProcess(o: SidecarProcessOptions): Promise<CliProcess> {
  const sc = runCli(["sidecar"], {
    SIDEGATE_SIDECAR_ID: o.id,
    SIDEGATE_PORT: String(o.port),
    SIDEGATE_CP_GRPC: `127.0.0.1:${o.grpcPort}`,
    SIDEGATE_SIDECAR_TOKEN: o.sidecarToken,
    SIDEGATE_DATA_DIR: o.dataDir,
    SIDEGATE_SNAPSHOT_KEY: o.snapshotKey,
    SIDEGATE_METRICS_PORT: "0",
    SIDEGATE_USAGE_FLUSH_MS: "25",
    SIDEGATE_RECONNECT_MIN_MS: "50",
    SIDEGATE_RECONNECT_MAX_MS: "300",
    SIDEGATE_LOG_LEVEL: "info",
    ...o.env,
  });
  await waitFor(() => !sc.alive() || sc.output().includes("sidecar listening"), 15_000).catch((err: Error) => {
    sc.child.kill("SIGKILL");
    throw new Error(`${err.message}\n${sc.output().slice(-2000)}`);
  });
  if (!sc.alive()) throw new Error(`sidecar ${o.id} exited at start:\n${sc.output().slice(-2000)}`);
  return sc;
}
