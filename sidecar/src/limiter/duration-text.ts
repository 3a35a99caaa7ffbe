/**
 * OpenAI's x-ratelimit-reset-* format (Go durations): "0s", "250ms", "1s", "1.5s", "6m0s", "1h2m3s".
 * Below a second in whole ms, below a minute with at most one decimal, above in whole seconds. Strings are
 * cached, so steady-state formatting allocates nothing.
 */
const SUB_SECOND: string[] = [];
const TENTHS: string[] = [];
const SECONDS = new Map<number, string>();
const MAX_CACHED_SECONDS = 7 * 86_400;

export function resetText(ms: number): string {
  if (!(ms > 0)) return "0s";
  if (ms < 1000) {
    const i = Math.ceil(ms);
    return (SUB_SECOND[i] ??= `${i}ms`);
  }
  if (ms < 60_000) {
    const tenths = Math.ceil(ms / 100);
    return (TENTHS[tenths] ??= tenths % 10 === 0 ? `${tenths / 10}s` : `${(tenths / 10).toFixed(1)}s`);
  }
  const s = Math.ceil(ms / 1000);
  let text = SECONDS.get(s);
  if (text === undefined) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    text = h > 0 ? `${h}h${m}m${s % 60}s` : `${m}m${s % 60}s`;
    if (s <= MAX_CACHED_SECONDS) SECONDS.set(s, text);
  }
  return text;
}

const COUNTS: string[] = [];
const MAX_CACHED_COUNT = 100_000;
const GROUPS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/**
 * Decimal text of a non-negative integer; small ones cached. Above 2^31 V8's number-to-string takes its
 * runtime path (~125 ns); three-digit groups from a table take ~50.
 */
export function countText(n: number): string {
  if (n < MAX_CACHED_COUNT) return (COUNTS[n] ??= String(n));
  if (n < 2 ** 31 || !Number.isSafeInteger(n)) return String(n);
  let rest = n;
  let text = "";
  while (rest >= 1000) {
    text = (GROUPS[rest % 1000] as string) + text;
    rest = Math.floor(rest / 1000);
  }
  return String(rest) + text;
}
