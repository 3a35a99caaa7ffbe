/**
 * The open-loop load generator runs in the benchmark's own process, whose heap (results, samples, the
 * generator's requests) grows over a run. Its mark-compacts then land inside measuring windows and stall
 * every in-flight request of whichever target is being measured (9–23 ms on the shared load core, seen as
 * clusters of slow requests). A full collection of this process between load points, never inside one,
 * keeps them out. Needs node's `--expose-gc`, which `npm run bench` passes; only the harness is collected,
 * never a process under test.
 */
export function collectGeneratorGarbage(): boolean {
  const gc = exposedGc();
  if (gc === null) return false;
  gc();
  return true;
}

/** node's `gc` when started with `--expose-gc`, else null. */
export function exposedGc(): (() => void) | null {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === "function" ? (gc as () => void) : null;
}

export const NO_EXPOSED_GC_WARNING =
  "node runs the benchmark without --expose-gc: the load generator's own GC may fall inside measuring windows (npm run bench passes it)";
