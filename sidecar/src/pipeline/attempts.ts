/**
 * One request's attempts over its route: the plan (strategy + circuit breakers), then attempt after attempt
 * until one commits a response to the client or the retry policy, the retry budget or the total deadline
 * says stop. A fallback to another deployment (another provider too: each attempt is planned through its own
 * adapter) goes out at once; the same deployment again only after its backoff or `retry-after`.
 */
import { isProxyError, proxyError, type ProxyError } from "../errors/proxy-error";
import { nextAvailable, planAttempts } from "../routing/attempt-plan";
import type { DeadlineWatch } from "../routing/deadline-watch";
import type { DeploymentHealth, HealthRegistry } from "../routing/deployment-health";
import { DEFAULT_RETRY, isRetryable, sameDeploymentDelayMs, type AttemptFailure, type RetryConfig } from "../routing/retry-policy";
import type { RetryBudget } from "../routing/retry-budget";
import { NO_ROUTE_TIMEOUTS, type RouteTimeouts } from "../routing/route-settings";
import type { Logger } from "../telemetry/logger";
import type { SidecarMetrics } from "../telemetry/metrics";
import type { UpstreamClient } from "../upstream/agent";
import type { RequestContext } from "./context";
import type { Endpoint } from "./endpoint";
import type { SidecarTarget } from "./policy-types";
import { ChatRelay, JSON_HEADERS, SSE_HEADERS, type AttemptDeadlines, type AttemptHeaders, type AttemptHooks, type RelayOutcome } from "./relay";
import type { ResponseSink } from "./sink";

/** Sidecar-wide timeout defaults (ms; 0 = none) for routes that set none. */
export type TimeoutDefaults = RouteTimeouts;

export interface AttemptDeps {
  readonly upstream: UpstreamClient;
  readonly health: HealthRegistry;
  readonly budget: RetryBudget;
  readonly watch: DeadlineWatch;
  readonly metrics: SidecarMetrics;
  readonly logger: Logger;
  readonly defaults: TimeoutDefaults;
  readonly random: () => number;
}

export const DEPLOYMENT_HEADER = "x-sidegate-deployment";
export const ATTEMPTS_HEADER = "x-sidegate-attempts";

function attemptHeaders(target: SidecarTarget, attempt: number): AttemptHeaders {
  const extra = Object.freeze([DEPLOYMENT_HEADER, target.deploymentId, ATTEMPTS_HEADER, String(attempt)]);
  return Object.freeze({ extra, json: Object.freeze(JSON_HEADERS.concat(extra)), sse: Object.freeze(SSE_HEADERS.concat(extra)) });
}

/** Per target (frozen per snapshot), the headers of a first-attempt answer: built once. */
const firstAttemptHeaders = new WeakMap<SidecarTarget, AttemptHeaders>();

function headersFor(target: SidecarTarget, attempt: number): AttemptHeaders {
  if (attempt !== 1) return attemptHeaders(target, attempt);
  let headers = firstAttemptHeaders.get(target);
  if (headers === undefined) {
    headers = attemptHeaders(target, 1);
    firstAttemptHeaders.set(target, headers);
  }
  return headers;
}

function pick(own: number, fallback: number): number {
  const ms = own > 0 ? own : fallback;
  return ms > 0 ? ms : Infinity;
}

/** A failure the breaker counts against the deployment (the client's own mistakes do not). */
function countsAgainst(failure: AttemptFailure): boolean {
  return failure.kind !== "status" || failure.status === 429 || failure.status >= 500;
}

const EMPTY_HEADERS: AttemptHeaders = Object.freeze({ json: JSON_HEADERS, sse: SSE_HEADERS, extra: Object.freeze([]) });

interface NextAttempt {
  readonly index: number;
  readonly delayMs: number;
}

/** The attempt was sent; its relay reports back through `onSettled`. */
const STARTED = 1;
/** The client was answered without an attempt going out (planning failed). */
const ANSWERED = 2;

export class AttemptLoop implements AttemptHooks {
  private readonly plan: readonly SidecarTarget[];
  private readonly retryConfig: RetryConfig;
  private readonly timeouts: RouteTimeouts;
  private readonly totalBy: number;
  private index: number;
  /** Allocated on the first retry only (most requests make one attempt). */
  private tried: Set<number> | null = null;
  private sameRetries: Map<number, number> | null = null;
  private next: NextAttempt | null = null;
  // The current attempt, as the relay's hooks see it.
  headers: AttemptHeaders = EMPTY_HEADERS;
  private current: SidecarTarget | null = null;
  private health: DeploymentHealth | null = null;
  private started = 0;
  private failure: AttemptFailure | null = null;
  private onDone: ((ctx: RequestContext) => void) | null = null;

  constructor(
    private readonly ctx: RequestContext,
    private readonly sink: ResponseSink,
    private readonly endpoint: Endpoint,
    private readonly deps: AttemptDeps,
  ) {
    const route = ctx.routeEntry;
    const health = (id: string) => deps.health.get(id);
    const now = deps.watch.now();
    if (route === null || route.targets.length === 1) {
      this.plan = ctx.target === null ? [] : [ctx.target];
      this.index = 0;
    } else {
      this.plan = planAttempts(route.groups, route.strategy, health, deps.random);
      this.index = Math.max(0, nextAvailable(this.plan, 0, health, now, true));
    }
    this.retryConfig = route?.retry ?? DEFAULT_RETRY;
    this.timeouts = route?.timeouts ?? NO_ROUTE_TIMEOUTS;
    this.totalBy = now + pick(this.timeouts.totalMs, deps.defaults.totalMs);
    deps.budget.recordFirstAttempt(now);
  }

  /**
   * Makes the attempts; `onDone` is called exactly once, when the request is finished (answered, or the
   * client left). Never throws: a bug inside is logged and answered as internal_error (if nothing was sent).
   */
  run(onDone: (ctx: RequestContext) => void): void {
    this.onDone = onDone;
    this.step();
  }

  /** Starts the attempt at `index` (skipping to fallbacks whose planning fails), or finishes. */
  private step(): void {
    try {
      for (;;) {
        const target = this.plan[this.index];
        if (target === undefined) return this.finish();
        if (this.tried !== null) this.tried.add(this.index);
        const next = this.start(target);
        if (next === STARTED) return;
        if (next === ANSWERED) return this.finish();
        this.index = next.index;
      }
    } catch (err) {
      this.deps.logger.error({ err, requestId: this.ctx.requestId }, "attempt loop failed");
      this.answer(proxyError("internal_error"));
      this.finish();
    }
  }

  /** One attempt: sent (its relay settles it later), answered at once, or planning failed over to another. */
  private start(target: SidecarTarget): NextAttempt | typeof STARTED | typeof ANSWERED {
    const ctx = this.ctx;
    const deps = this.deps;
    ctx.target = target;
    ctx.attempts++;
    const body = ctx.body;
    const json = ctx.json;
    if (body === null || json === null) return ANSWERED;
    let exchange;
    try {
      exchange = this.endpoint.plan(ctx, { target, json, body });
    } catch (err) {
      // The first deployment's rejection (a parameter it cannot honour) is the client's answer; a fallback's
      // is skipped in favour of the next candidate when there is one.
      const next = ctx.attempts > 1 && isProxyError(err) ? this.untried() : -1;
      if (next >= 0) return { index: next, delayMs: 0 };
      if (!isProxyError(err)) deps.logger.error({ err, requestId: ctx.requestId }, "request planning failed");
      this.answer(isProxyError(err) ? err : proxyError("internal_error"));
      return ANSWERED;
    }
    const health = deps.health.get(target.deploymentId);
    const started = deps.watch.now();
    this.next = null;
    this.failure = null;
    this.current = target;
    this.health = health;
    this.started = started;
    this.headers = headersFor(target, ctx.attempts);
    const firstTokenMs = pick(this.timeouts.firstTokenMs, target.timeoutMs > 0 ? target.timeoutMs : deps.defaults.firstTokenMs);
    const deadlines: AttemptDeadlines = {
      connectBy: started + pick(this.timeouts.connectMs, deps.defaults.connectMs),
      firstTokenBy: started + firstTokenMs,
      idleMs: pick(this.timeouts.idleMs, deps.defaults.idleMs),
      totalBy: this.totalBy,
    };
    const relay = new ChatRelay(ctx, this.sink, exchange.codec, this, deadlines, deps.watch, started);
    const { request } = exchange;
    health.inFlight++;
    const call = deps.upstream.send(
      {
        origin: target.prepared.deployment.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        // Timeouts are the relay's (DeadlineWatch): undici's own timers stay off.
        headersTimeoutMs: 0,
        bodyTimeoutMs: 0,
      },
      relay,
    );
    relay.attach(call);
    return STARTED;
  }

  /** The current attempt's relay is done: count it for its deployment, then retry or finish. */
  onSettled(outcome: RelayOutcome): void {
    const health = this.health;
    if (health === null) return;
    this.health = null;
    health.inFlight--;
    const now = this.deps.watch.now();
    if (outcome === "retry") {
      const failure = this.failure;
      if (failure !== null && countsAgainst(failure)) health.breaker.onFailure(now);
      const next = this.next;
      if (next === null) return this.finish();
      this.index = next.index;
      // Never from inside the relay's (undici's) call stack: the next attempt starts on a fresh one.
      if (next.delayMs > 0) setTimeout(() => this.resume(), next.delayMs);
      else queueMicrotask(() => this.resume());
      return;
    }
    const status = this.ctx.status;
    if (status === 499) health.breaker.release();
    else if (status === 429 || status >= 500) health.breaker.onFailure(now);
    else {
      health.breaker.onSuccess(now);
      if (status < 300) health.total.add(now - this.started, now);
    }
    this.finish();
  }

  private resume(): void {
    if (this.sink.aborted) {
      this.ctx.status = 499;
      this.ctx.errorCode = "client_closed_request";
      return this.finish();
    }
    this.step();
  }

  private finish(): void {
    const onDone = this.onDone;
    if (onDone === null) return;
    this.onDone = null;
    try {
      onDone(this.ctx);
    } catch (err) {
      this.deps.logger.error({ err, requestId: this.ctx.requestId }, "request settlement failed");
    }
  }

  // ---- AttemptHooks (the relay of the current attempt calls these) ----

  retry(failure: AttemptFailure): boolean {
    this.failure = failure;
    this.next = this.decide(failure);
    return this.next !== null;
  }

  onFirstToken(ms: number, now: number): void {
    this.health?.ttft.add(ms, now);
  }

  onHeaders(_status: number, now: number): void {
    const target = this.current;
    if (target !== null) this.deps.metrics.observeUpstreamLatency(target.provider, (now - this.started) / 1000);
  }

  /** Whether (and where, after how long) to try again after a failure nothing of which reached the client. */
  private decide(failure: AttemptFailure): NextAttempt | null {
    const ctx = this.ctx;
    const deps = this.deps;
    const now = deps.watch.now();
    if (!isRetryable(failure, this.retryConfig) || ctx.attempts >= this.retryConfig.maxAttempts) return null;
    if (now >= this.totalBy || this.sink.aborted) return null;
    let next: NextAttempt;
    const fallback = this.untried();
    if (fallback >= 0) next = { index: fallback, delayMs: 0 };
    else {
      const same = (this.sameRetries ??= new Map<number, number>());
      const again = (same.get(this.index) ?? 0) + 1;
      const delayMs = sameDeploymentDelayMs(failure, again, this.retryConfig, deps.random);
      if (delayMs === null || now + delayMs >= this.totalBy) return null;
      same.set(this.index, again);
      next = { index: this.index, delayMs };
    }
    if (!deps.budget.tryWithdraw(now)) {
      deps.metrics.countRetry("budget_exhausted");
      return null;
    }
    deps.metrics.countRetry(next.index === this.index ? "retry" : "fallback");
    return next;
  }

  /**
   * The next candidate not tried yet: the first whose breaker admits a request, else (every untried one is
   * ejected) the first untried one anyway — a deployment under ejection is a better bet than the one that
   * just failed. -1 when every candidate was tried.
   */
  private untried(): number {
    const now = this.deps.watch.now();
    const tried = (this.tried ??= new Set<number>([this.index]));
    let ejected = -1;
    for (let i = 0; i < this.plan.length; i++) {
      if (tried.has(i)) continue;
      if (this.deps.health.get((this.plan[i] as SidecarTarget).deploymentId).breaker.tryAcquire(now)) return i;
      if (ejected < 0) ejected = i;
    }
    return ejected;
  }

  private answer(error: ProxyError): void {
    this.ctx.status = error.status;
    this.ctx.errorCode = error.code;
    this.sink.sendError(error);
  }
}
