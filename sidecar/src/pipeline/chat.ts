/**
 * Request orchestration shared by every inbound endpoint (chat completions, and the other surfaces in the
 * registry): stages composed once, then the endpoint's exchange through the upstream client, then
 * accounting. Transport-neutral (see ResponseSink).
 */
import { isProxyError, proxyError, type ProxyError } from "../errors/proxy-error";
import type { PolicyStore } from "../policy/store";
import type { Logger } from "../telemetry/logger";
import type { SidecarMetrics } from "../telemetry/metrics";
import { SURFACES } from "../providers/registry";
import type { UpstreamClient } from "../upstream/agent";
import { chatEndpoint } from "./chat-endpoint";
import { composeStages, type Stage } from "./compose";
import type { RequestContext } from "./context";
import type { Endpoint } from "./endpoint";
import type { PreparedTarget } from "./policy-types";
import { AttemptLoop, type AttemptDeps } from "./attempts";
import type { ResponseSink } from "./sink";
import { createAccountant, type UsageSink } from "./stages/account";
import { authenticate } from "./stages/authenticate";
import { checkContentType } from "./stages/content-type";
import { surfaceEndpoint } from "./surface-endpoint";
import { limitStage } from "./stages/limit";
import { settle as settleLimits } from "../limiter/admission";
import type { Limiter } from "../limiter/limiter";
import { costUsd } from "./cost";
import { inputCostUsd } from "./reservation";

/**
 * An endpoint's upstream exchange: answers through the sink and calls `done` exactly once when finished
 * (ctx filled for accounting).
 */
export type Dispatch = (ctx: RequestContext, sink: ResponseSink, done: (ctx: RequestContext) => void) => void;

export interface ChatPipelineDeps {
  readonly store: PolicyStore<PreparedTarget>;
  readonly upstream: UpstreamClient;
  readonly metrics: SidecarMetrics;
  readonly logger: Logger;
  readonly usage: UsageSink;
  readonly upstreamTimeoutMs: number;
  readonly upstreamBodyTimeoutMs: number;
  /** Deployment health, retry budget, the timeout watch and defaults, shared by every request. */
  readonly routing: Omit<AttemptDeps, "upstream" | "metrics" | "logger">;
  /** Local limits; absent = none enforced. */
  readonly limits?: {
    readonly limiter: Limiter;
    readonly defaultMaxTokens: number;
    readonly wantLease: () => void;
    readonly balanceShort: () => void;
  };
}

export class ChatPipeline {
  /** Before the body is read: policy pinned, key checked, content type checked. */
  readonly beforeBody: Stage;
  /** Auth only (GET endpoints). */
  readonly authenticate: Stage;
  /** `POST /v1/chat/completions`. */
  readonly chat: Endpoint;
  /** `POST /v1/messages`. */
  readonly messages: Endpoint;
  readonly account: (ctx: RequestContext) => void;
  private active = 0;
  private accepting = true;
  private idleWaiters: Array<() => void> = [];

  private readonly attemptDeps: AttemptDeps;
  /** One dispatch per endpoint, made once (no closure per request). */
  private readonly dispatchers = new Map<Endpoint, Dispatch>();
  /** Where every dispatch reports its end. */
  private readonly settled = (ctx: RequestContext): void => this.settle(ctx);
  /** Admission against every applicable limit, after routing; null when no limiter is configured. */
  readonly limitStage: Stage | null;

  constructor(private readonly deps: ChatPipelineDeps) {
    this.attemptDeps = { ...deps.routing, upstream: deps.upstream, metrics: deps.metrics, logger: deps.logger };
    deps.metrics.watchInFlight(() => this.active);
    this.authenticate = authenticate(deps.store);
    this.beforeBody = composeStages([() => (this.accepting ? null : proxyError("not_ready")), this.authenticate, checkContentType]);
    const limits = deps.limits;
    this.limitStage =
      limits === undefined
        ? null
        : limitStage({
            limiter: limits.limiter,
            defaultMaxTokens: limits.defaultMaxTokens,
            wantLease: limits.wantLease,
            balanceShort: limits.balanceShort,
            onReject: (kind) => deps.metrics.countLimitRejection(kind),
          });
    this.chat = this.withLimits(chatEndpoint());
    this.messages = this.withLimits(surfaceEndpoint(SURFACES.messages));
    this.account = createAccountant(deps.metrics, deps.usage);
  }

  /** An endpoint whose stages end with the limit check (every request that goes upstream passes it). */
  withLimits(endpoint: Endpoint): Endpoint {
    const limit = this.limitStage;
    return limit === null ? endpoint : { ...endpoint, afterBody: composeStages([endpoint.afterBody, limit]) };
  }

  get inFlight(): number {
    return this.active;
  }

  /** Answers with an error and accounts the request. */
  reject(ctx: RequestContext, sink: ResponseSink, error: ProxyError, closeConnection = false): void {
    ctx.status = error.status;
    ctx.errorCode = error.code;
    sink.sendError(error, closeConnection);
    this.account(ctx);
    ctx.release();
  }

  /** The body has been read: validate, route, dispatch one exchange through the endpoint. Never throws. */
  run(ctx: RequestContext, sink: ResponseSink, body: Buffer, endpoint: Endpoint = this.chat): void {
    let dispatch = this.dispatchers.get(endpoint);
    if (dispatch === undefined) {
      dispatch = (c, s, done) => this.dispatch(c, s, endpoint, done);
      this.dispatchers.set(endpoint, dispatch);
    }
    this.execute(ctx, sink, body, endpoint.afterBody, dispatch);
  }

  /**
   * What every POST endpoint shares once its body is read: its stages (parse, route, …), then its dispatch
   * counted as in flight (graceful shutdown waits for it), then accounting. Never throws.
   */
  execute(ctx: RequestContext, sink: ResponseSink, body: Buffer, stages: Stage, dispatch: Dispatch): void {
    ctx.body = body;
    const problem = stages(ctx);
    if (problem !== null) {
      this.reject(ctx, sink, problem);
      return;
    }
    this.active++;
    try {
      dispatch(ctx, sink, this.settled);
    } catch (err) {
      // An adapter rejects a parameter its provider cannot honour by throwing a ProxyError (e.g. invalid_request),
      // before anything was sent.
      if (!isProxyError(err)) this.deps.logger.error({ err, requestId: ctx.requestId }, "dispatch failed");
      const failure = isProxyError(err) ? err : proxyError("internal_error");
      ctx.status = failure.status;
      ctx.errorCode = failure.code;
      sink.sendError(failure);
      this.settle(ctx);
    }
  }

  /** Shutdown: from now on requests (e.g. on kept-alive connections) are answered 503 not_ready. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Resolves when no request is in flight, or false after `deadlineMs`. */
  waitIdle(deadlineMs: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), deadlineMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private dispatch(ctx: RequestContext, sink: ResponseSink, endpoint: Endpoint, done: (ctx: RequestContext) => void): void {
    if (ctx.target === null || ctx.json === null || ctx.body === null) return done(ctx);
    new AttemptLoop(ctx, sink, endpoint, this.attemptDeps).run(done);
  }

  private settle(ctx: RequestContext): void {
    if (ctx.status >= 500) {
      this.deps.logger.warn(
        { requestId: ctx.requestId, status: ctx.status, code: ctx.errorCode, deployment: ctx.target?.deploymentId },
        "request failed upstream",
      );
    }
    this.active--;
    chargeAndSettle(ctx);
    this.account(ctx);
    ctx.release();
    if (this.active === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}

/**
 * The USD a finished request costs (its record carries the same figure): from usage and the route's
 * price; a request the client abandoned is charged at least its estimated input. Settles the limits it
 * was admitted against: TPM reconciled to the actual tokens, slots released, reservations replaced by
 * the charge.
 */
function chargeAndSettle(ctx: RequestContext): void {
  const price = ctx.target?.price ?? null;
  let charged = costUsd(ctx.usage, price);
  if (ctx.errorCode === "client_closed_request") charged = Math.max(charged, inputCostUsd(ctx.inputTokensEstimate, price));
  ctx.chargedUsd = charged;
  const plan = ctx.limits;
  if (plan === null) return;
  ctx.limits = null;
  const usage = ctx.usage;
  const used = usage === null ? -1 : usage.promptTokens + usage.completionTokens;
  settleLimits(plan, ctx.reservedTokens, used, ctx.reservedUsd, charged, Date.now());
}
