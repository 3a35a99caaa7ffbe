import type { CliIo } from "./io";

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/**
 * Resolves on the first SIGINT/SIGTERM; a second signal forces `process.exit(1)`.
 * Returns the promise and a disposer (for error paths that never wait for a signal).
 */
export function waitForShutdown(io: CliIo): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let count = 0;
  let resolve: (s: NodeJS.Signals) => void = () => undefined;
  const signal = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handler = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      io.stderr(`\nreceived ${sig}: shutting down (send it again to force)\n`);
      resolve(sig);
    } else {
      io.stderr("forced exit\n");
      process.exit(1);
    }
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    signal,
    dispose: () => {
      for (const s of SIGNALS) process.off(s, handler);
    },
  };
}

/** Fail hard if a graceful shutdown takes longer than `ms` (the timer does not keep the process alive). */
export function shutdownDeadline(io: CliIo, ms: number): () => void {
  const t = setTimeout(() => {
    io.stderr(`shutdown did not finish within ${ms} ms, exiting\n`);
    process.exit(1);
  }, ms);
  t.unref();
  return () => clearTimeout(t);
}

/** A ConfigError (readable lines) or any error, as one `error:` message on stderr. */
export function reportStartupError(io: CliIo, err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`error: ${message}\n`);
  return 1;
}

/** Anything the CLI runs until a signal: started once, closed gracefully once. */
export interface Service {
  close(): Promise<void>;
}

/**
 * Starts a long-running service and keeps it up until SIGINT/SIGTERM, then closes it within `deadlineMs`
 * (a second signal, or a close that overruns, exits 1). The one place the CLI handles signals.
 */
export async function serveUntilSignal(io: CliIo, start: () => Promise<Service>, deadlineMs: number): Promise<number> {
  const shutdown = waitForShutdown(io);
  let service: Service;
  try {
    service = await start();
  } catch (err) {
    shutdown.dispose();
    return reportStartupError(io, err);
  }
  await shutdown.signal;
  const cancel = shutdownDeadline(io, deadlineMs);
  try {
    await service.close();
    return 0;
  } catch (err) {
    return reportStartupError(io, err);
  } finally {
    cancel();
    shutdown.dispose();
  }
}
