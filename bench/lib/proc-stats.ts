/**
 * Per-process CPU time and memory from /proc (Linux). CPU is the sum of every thread's
 * `schedstat` run time (nanosecond resolution) plus the reaped children's `cutime+cstime`; when schedstat
 * is unavailable, `utime+stime` clock ticks. A "tree" is a process and its live descendants.
 * Everything returns null where /proc is missing (macOS), so callers degrade to "not measured".
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

interface StatFields {
  readonly ppid: number;
  readonly utime: number;
  readonly stime: number;
  readonly cutime: number;
  readonly cstime: number;
}

let tickNs: number | null = null;

/** Nanoseconds per clock tick (`getconf CLK_TCK`, 100 Hz when unknown). */
export function clockTickNs(): number {
  if (tickNs !== null) return tickNs;
  let hz = 100;
  try {
    const out = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    if (Number.isFinite(out) && out > 0) hz = out;
  } catch {
    /* keep 100 */
  }
  tickNs = 1e9 / hz;
  return tickNs;
}

export function procAvailable(): boolean {
  return existsSync("/proc/self/stat");
}

function readStat(pid: number): StatFields | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may contain spaces and parentheses, so split after the last ')'.
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const num = (i: number): number => Number(f[i] ?? 0);
  return { ppid: num(1), utime: num(11), stime: num(12), cutime: num(13), cstime: num(14) };
}

function threadsRunNs(pid: number): number | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let total = 0;
  for (const tid of tids) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0] ?? 0);
    } catch {
      /* the thread just exited */
    }
  }
  return total;
}

/** CPU time of one process (all threads) plus its reaped children, in ns; null when it does not exist. */
export function processCpuNs(pid: number): number | null {
  const stat = readStat(pid);
  if (stat === null) return null;
  const tick = clockTickNs();
  const own = threadsRunNs(pid) ?? (stat.utime + stat.stime) * tick;
  return own + (stat.cutime + stat.cstime) * tick;
}

/** CPU time of children this process has already waited for (e.g. a finished `wrk`), in ns. */
export function reapedChildrenCpuNs(pid: number): number | null {
  const stat = readStat(pid);
  return stat === null ? null : (stat.cutime + stat.cstime) * clockTickNs();
}

/** Live descendants of `pid` (children, grandchildren, …). */
export function descendants(pid: number): number[] {
  if (!procAvailable()) return [];
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat === null) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(name));
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    out.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return out;
}

/** A process tree fixed at construction (descendants looked up once), sampled cheaply afterwards. */
export class ProcessTree {
  readonly pids: readonly number[];

  constructor(readonly root: number) {
    this.pids = [root, ...descendants(root)];
  }

  cpuNs(): number | null {
    let total = 0;
    let any = false;
    for (const pid of this.pids) {
      const ns = processCpuNs(pid);
      if (ns === null) continue;
      any = true;
      total += ns;
    }
    return any ? total : null;
  }

  /** Sum of VmRSS and of VmHWM over the tree, in bytes. */
  memory(): { rss: number; hwm: number } | null {
    let rss = 0;
    let hwm = 0;
    let any = false;
    for (const pid of this.pids) {
      const m = readMemory(pid);
      if (m === null) continue;
      any = true;
      rss += m.rss;
      hwm += m.hwm;
    }
    return any ? { rss, hwm } : null;
  }

  /** Resets VmHWM to the current RSS (`clear_refs` 5); false where the kernel or permissions refuse. */
  resetPeak(): boolean {
    let ok = true;
    for (const pid of this.pids) ok = resetPeak(pid) && ok;
    return ok;
  }
}

export function readMemory(pid: number): { rss: number; hwm: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  const kb = (field: string): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}
