/**
 * A route's retry and timeout settings from policy, with the sidecar defaults filled in. Built once per
 * snapshot. Unknown `retry_on` tokens are reported (the control plane validates them; a newer control plane
 * may know more).
 */
import type { RetryPolicy, RouteTimeouts as RouteTimeoutsMessage } from "../../../proto";
import { ROUTE_STRATEGIES, type RouteStrategy } from "./attempt-plan";
import { DEFAULT_RETRY, DEFAULT_RETRY_STATUSES, type RetryConfig } from "./retry-policy";

/** 0 = the sidecar default (resolved by the pipeline, which knows its configuration). */
export interface RouteTimeouts {
  readonly connectMs: number;
  readonly firstTokenMs: number;
  readonly idleMs: number;
  readonly totalMs: number;
}

export const NO_ROUTE_TIMEOUTS: RouteTimeouts = Object.freeze({ connectMs: 0, firstTokenMs: 0, idleMs: 0, totalMs: 0 });

export function parseStrategy(text: string): RouteStrategy | null {
  if (text === "") return "priority";
  return (ROUTE_STRATEGIES as readonly string[]).includes(text) ? (text as RouteStrategy) : null;
}

export function resolveRetry(policy: RetryPolicy | null | undefined, problems: string[]): RetryConfig {
  if (policy === undefined || policy === null) return DEFAULT_RETRY;
  let retryOnStatus: ReadonlySet<number> = DEFAULT_RETRY.retryOnStatus;
  let retryOnConnect = DEFAULT_RETRY.retryOnConnect;
  let retryOnTimeout = DEFAULT_RETRY.retryOnTimeout;
  if (policy.retry_on.length > 0) {
    const statuses = new Set<number>();
    retryOnConnect = false;
    retryOnTimeout = false;
    for (const token of policy.retry_on) {
      if (token === "connect") retryOnConnect = true;
      else if (token === "timeout") retryOnTimeout = true;
      else if (token === "5xx") {
        for (const s of DEFAULT_RETRY_STATUSES) if (s >= 500) statuses.add(s);
      } else if (/^[45]\d\d$/.test(token)) statuses.add(Number(token));
      else problems.push(`retry_on: unknown condition "${token}"`);
    }
    retryOnStatus = statuses;
  }
  return Object.freeze({
    maxAttempts: policy.max_attempts > 0 ? policy.max_attempts : DEFAULT_RETRY.maxAttempts,
    retryOnStatus,
    retryOnConnect,
    retryOnTimeout,
    backoffBaseMs: policy.backoff_base_ms > 0 ? policy.backoff_base_ms : DEFAULT_RETRY.backoffBaseMs,
    backoffMaxMs: policy.backoff_max_ms > 0 ? policy.backoff_max_ms : DEFAULT_RETRY.backoffMaxMs,
    maxRetryAfterMs: policy.max_retry_after_ms > 0 ? policy.max_retry_after_ms : DEFAULT_RETRY.maxRetryAfterMs,
  });
}

export function routeTimeouts(message: RouteTimeoutsMessage | null | undefined): RouteTimeouts {
  if (message === undefined || message === null) return NO_ROUTE_TIMEOUTS;
  return Object.freeze({
    connectMs: message.connect_ms,
    firstTokenMs: message.first_token_ms,
    idleMs: message.idle_ms,
    totalMs: message.total_ms,
  });
}
