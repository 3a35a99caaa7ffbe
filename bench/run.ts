/** `npm run bench` entry point. The full suite (fixed-rate load, peers, charts) is built on top of this. */
import { runLatencyProbe } from "./latency-probe";

runLatencyProbe().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
