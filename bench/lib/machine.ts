/** What the run is on, which tools exist, and where processes are placed (CPU pinning with `taskset`). */
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { availableParallelism, cpus, platform, release, totalmem } from "node:os";
import { delimiter, join } from "node:path";

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly commit: string | null;
}

export interface Placement {
  /** true: proxies run on `proxyCore`, mock + load generator + control plane on `loadCore`. */
  readonly pinned: boolean;
  readonly proxyCore: number | null;
  readonly loadCore: number | null;
  /** Why pinning is off (empty when on). */
  readonly reason: string;
}

/** Absolute path of an executable on PATH, or null. */
export function which(command: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

function gitCommit(root: string): string | null {
  try {
    const head = readFileSync(join(root, ".git/HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) return head.slice(0, 12);
    const ref = head.slice(5);
    const loose = join(root, ".git", ref);
    if (existsSync(loose)) return readFileSync(loose, "utf8").trim().slice(0, 12);
    const packed = readFileSync(join(root, ".git/packed-refs"), "utf8");
    const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
    return line ? line.slice(0, 12) : null;
  } catch {
    return null;
  }
}

export function machineInfo(root: string): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    commit: gitCommit(root),
  };
}

/** Decides pinning: proxy on core 1, everything else on core 0, when `taskset` and ≥ 2 cores exist. */
export function decidePlacement(wanted: boolean, whyNot: string): Placement {
  const off = (reason: string): Placement => ({ pinned: false, proxyCore: null, loadCore: null, reason });
  if (!wanted) return off(whyNot);
  if (platform() !== "linux") return off(`CPU pinning needs Linux (this is ${platform()})`);
  if (which("taskset") === null) return off("taskset not found (util-linux); processes are not pinned");
  if (availableParallelism() < 2) return off(`only ${availableParallelism()} core available; processes share it`);
  return { pinned: true, proxyCore: 1, loadCore: 0, reason: "" };
}

/** Pins every thread of this process (the load generator) to `core`. False when taskset refuses. */
export function pinSelf(core: number): boolean {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", String(core), String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
