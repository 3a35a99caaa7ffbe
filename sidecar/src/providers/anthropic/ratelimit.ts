/**
 * Anthropic rate-limit headers → OpenAI-style ones (providers.md §3.8, §8.7). `anthropic-ratelimit-*-reset`
 * is an RFC 3339 timestamp; OpenAI's `x-ratelimit-reset-*` is a duration ("1.5s", "6m0s"), computed
 * against `now` (the response's `Date` header when the caller has no clock value).
 */
import type { UpstreamHeaders } from "../types";

const KINDS = ["requests", "tokens"] as const;
const FIELDS = ["limit", "remaining", "reset"] as const;

function header(headers: UpstreamHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Duration in OpenAI's style: `12ms`, `1.5s`, `6m0s`, `1h2m3s`. */
export function formatDuration(ms: number): string {
  const clamped = Math.max(0, Math.round(ms));
  if (clamped < 1000) return `${clamped}ms`;
  const hours = Math.floor(clamped / 3_600_000);
  const minutes = Math.floor((clamped % 3_600_000) / 60_000);
  const seconds = (clamped % 60_000) / 1000;
  const s = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  if (minutes > 0) return `${minutes}m${s}`;
  return s;
}

/** The reference time: explicit `now`, else the response's `Date` header, else null (no reset durations). */
export function referenceTime(headers: UpstreamHeaders, now?: number): number | null {
  if (now !== undefined) return now;
  const date = header(headers, "date");
  const parsed = date === undefined ? NaN : Date.parse(date);
  return Number.isNaN(parsed) ? null : parsed;
}

/** Flat `[name, value, …]` OpenAI rate-limit headers plus `retry-after` (kept, or synthesised from the requests reset). */
export function rateLimitHeaders(headers: UpstreamHeaders, now: number | null): string[] {
  const out: string[] = [];
  for (const kind of KINDS) {
    for (const field of FIELDS) {
      const value = header(headers, `anthropic-ratelimit-${kind}-${field}`);
      if (value === undefined || value === "") continue;
      if (field !== "reset") out.push(`x-ratelimit-${field}-${kind}`, value);
      else {
        const at = Date.parse(value);
        if (now !== null && !Number.isNaN(at)) out.push(`x-ratelimit-reset-${kind}`, formatDuration(at - now));
      }
    }
  }
  const retryAfter = header(headers, "retry-after") ?? synthesisedRetryAfter(headers, now);
  if (retryAfter !== undefined) out.push("retry-after", retryAfter);
  return out;
}

/** Seconds until the earliest exhausted limit resets (only when some remaining count is 0). */
function synthesisedRetryAfter(headers: UpstreamHeaders, now: number | null): string | undefined {
  if (now === null) return undefined;
  let earliest = Infinity;
  for (const kind of ["requests", "tokens", "input-tokens", "output-tokens"]) {
    if (header(headers, `anthropic-ratelimit-${kind}-remaining`) !== "0") continue;
    const at = Date.parse(header(headers, `anthropic-ratelimit-${kind}-reset`) ?? "");
    if (!Number.isNaN(at)) earliest = Math.min(earliest, at);
  }
  return earliest === Infinity ? undefined : String(Math.max(1, Math.ceil((earliest - now) / 1000)));
}
