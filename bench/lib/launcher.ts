/**
 * Starts benchmark processes (optionally pinned with `taskset -c N`, which execs, so the pid is the
 * process under test), keeps the tail of their output for error messages, and stops them. Every child is
 * remembered so an interrupted run kills exactly the processes it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { which } from "./machine";

export interface LaunchSpec {
  readonly name: string;
  /** Executable; `process.execPath` (node) by default. */
  readonly command?: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** CPU to pin to with `taskset -c`; null = not pinned. */
  readonly core: number | null;
  /**
   * A helper that must not disturb the load side: SCHED_IDLE (`chrt --idle 0`, runs only when its core is
   * otherwise idle and is preempted at once) where available, else `nice -n 19`.
   */
  readonly background?: boolean;
  readonly cwd?: string;
}

const TAIL_BYTES = 16 * 1024;
const running = new Set<Launched>();

export class Launched {
  readonly pid: number;
  private out = "";
  private readonly exitPromise: Promise<number | null>;
  private exitCode: number | null | undefined = undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    if (child.pid === undefined) throw new Error(`${name}: could not be started`);
    this.pid = child.pid;
    const collect = (d: Buffer): void => {
      this.out = (this.out + d.toString()).slice(-TAIL_BYTES);
      for (const l of this.listeners) l();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    this.exitPromise = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        running.delete(this);
        for (const l of this.listeners) l();
        resolve(this.exitCode);
      });
    });
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  tail(chars = 2000): string {
    return this.out.slice(-chars);
  }

  /** Resolves with the first match of `re` in the output; rejects on exit or after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(this.out);
        if (m !== null) return done(() => resolve(m));
        if (!this.alive) done(() => reject(new Error(`${this.name} exited (${this.exitCode}) before ready:\n${this.tail()}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.tail()}`))), timeoutMs);
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Waits for the process to exit on its own; SIGKILL after `timeoutMs`. */
  async exited(timeoutMs: number): Promise<number | null> {
    if (!this.alive) return this.exitCode ?? null;
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const code = await this.exitPromise;
    clearTimeout(timer);
    return code;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (!this.alive) return this.exitCode ?? null;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    const code = await this.exitPromise;
    clearTimeout(timer);
    return code;
  }

  kill(): void {
    if (this.alive) this.child.kill("SIGKILL");
  }
}

export function launch(spec: LaunchSpec): Launched {
  let argv = [spec.command ?? process.execPath, ...spec.args];
  if (spec.background === true) {
    if (which("chrt") !== null) argv = ["chrt", "--idle", "0", ...argv];
    else if (which("nice") !== null) argv = ["nice", "-n", "19", ...argv];
  }
  if (spec.core !== null) argv = ["taskset", "-c", String(spec.core), ...argv];
  const [file, ...args] = argv as [string, ...string[]];
  const child = spawn(file, args, {
    env: spec.env ?? process.env,
    cwd: spec.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const launched = new Launched(spec.name, child);
  running.add(launched);
  return launched;
}

/** Kills (SIGKILL) every process this run started that is still alive. */
export function killAllLaunched(): void {
  for (const l of running) l.kill();
}
