/**
 * The Node flags each long-running role is shipped and measured with. The image's entrypoint
 * (deploy/docker/entrypoint.sh) passes them and the benchmark starts its processes with them; a test keeps
 * the two equal. They go on node's command line because V8 reads them at start-up only, and
 * `--single-threaded-gc` is refused in NODE_OPTIONS. Why these values: bench/README.md, "Node flags".
 */
export type LongRunningRole = "sidecar" | "control-plane";

export const NODE_FLAGS: Readonly<Record<LongRunningRole, readonly string[]>> = {
  // One event loop on (at most) one core: GC helper threads only take that core from it.
  sidecar: ["--max-semi-space-size=8", "--single-threaded-gc"],
  // Runs where it may use several cores; concurrent marking helps it.
  "control-plane": ["--max-semi-space-size=8"],
};
