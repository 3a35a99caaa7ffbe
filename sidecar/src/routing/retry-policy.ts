/**
 * Which upstream failures are worth another attempt, and how long to wait before one. Pure.
 *
 * Rules: a different deployment is tried at once (fallback); the same deployment again only after a
 * jittered exponential backoff, or after `retry-after` when the provider sent one (capped: a provider that
 * asks for longer than `maxRetryAfterMs` is not retried — its 429 goes to the client with the header).
 */
export type FailureKind = "connect" | "timeout" | "status";

export interface AttemptFailure {
  readonly kind: FailureKind;
  /** HTTP status for kind "status"; 0 otherwise. */
  readonly status: number;
  /** The provider's `retry-after` in ms, or null. */
  readonly retryAfterMs: number | null;
}

export interface RetryConfig {
  /** Attempts in total (first + retries + fallbacks), ≥ 1. */
  readonly maxAttempts: number;
  /** Statuses that are retried (e.g. 429, 500, 502, 503, 504). */
  readonly retryOnStatus: ReadonlySet<number>;
  readonly retryOnConnect: boolean;
  readonly retryOnTimeout: boolean;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_STATUSES: readonly number[] = Object.freeze([429, 500, 502, 503, 504]);

export const DEFAULT_RETRY: RetryConfig = Object.freeze({
  maxAttempts: 3,
  retryOnStatus: new Set(DEFAULT_RETRY_STATUSES),
  retryOnConnect: true,
  retryOnTimeout: true,
  backoffBaseMs: 100,
  backoffMaxMs: 2_000,
  maxRetryAfterMs: 10_000,
});

export function isRetryable(failure: AttemptFailure, config: RetryConfig): boolean {
  switch (failure.kind) {
    case "connect":
      return config.retryOnConnect;
    case "timeout":
      return config.retryOnTimeout;
    case "status":
      return config.retryOnStatus.has(failure.status);
  }
}

/**
 * Delay before attempt number `retryOfSame` (1 = first retry) on a deployment that already failed, or null
 * when it must not be retried (its retry-after is too long).
 */
export function sameDeploymentDelayMs(
  failure: AttemptFailure,
  retryOfSame: number,
  config: RetryConfig,
  random: () => number,
): number | null {
  if (failure.retryAfterMs !== null) {
    return failure.retryAfterMs > config.maxRetryAfterMs ? null : failure.retryAfterMs;
  }
  const ceiling = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** Math.max(0, retryOfSame - 1));
  // "Equal jitter": at least half the ceiling, so a retry storm still spreads out but never fires at once.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `retry-after` as seconds or an HTTP date; also OpenAI's `retry-after-ms`. Null when absent or unparsable. */
export function parseRetryAfterMs(retryAfter: string | undefined, retryAfterMs: string | undefined, now: number): number | null {
  if (retryAfterMs !== undefined && /^\d+(\.\d+)?$/.test(retryAfterMs.trim())) {
    return Math.round(Number(retryAfterMs));
  }
  if (retryAfter === undefined) return null;
  const text = retryAfter.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
