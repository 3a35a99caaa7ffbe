/** Progress lines on stdout, prefixed with the seconds since the run started. */
const started = performance.now();

export function log(line: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${s}s] ${line}\n`);
}
