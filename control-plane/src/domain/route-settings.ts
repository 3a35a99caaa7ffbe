import type { RetrySettings, RouteTimeouts } from "./types";

export const DEFAULT_RETRY_SETTINGS: RetrySettings = Object.freeze({
  maxAttempts: 0,
  retryOn: Object.freeze([]),
  backoffBaseMs: 0,
  backoffMaxMs: 0,
  maxRetryAfterMs: 0,
});

export const DEFAULT_ROUTE_TIMEOUTS: RouteTimeouts = Object.freeze({ connectMs: 0, firstTokenMs: 0, idleMs: 0, totalMs: 0 });

/** The tokens a route's `retry_on` list may hold. */
export const RETRY_ON_PATTERN = /^(connect|timeout|5xx|[45]\d\d)$/;
