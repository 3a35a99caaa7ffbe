/**
 * POST /v1/chat/completions orchestration: stages composed once, then dispatch through the target's
 * adapter and the upstream client, then accounting. Transport-neutral (see ResponseSink).
 */
import { isProxyError, proxyError, type ProxyError } from "../errors/proxy-error";
import type { PolicyStore } from "../policy/store";
import type { Logger } from "../telemetry/logger";
import type { SidecarMetrics } from "../telemetry/metrics";
import type { UpstreamClient } from "../upstream/agent";
import { composeStages, type Stage } from "./compose";
import type { RequestContext } from "./context";
import type { PreparedTarget } from "./policy-types";
import { ChatRelay } from "./relay";
import type { ResponseSink } from "./sink";
import { createAccountant, type UsageSink } from "./stages/account";
import { authenticate } from "./stages/authenticate";
import { parseChatBody } from "./stages/chat-body";
import { checkContentType } from "./stages/content-type";
import { limitStage } from "./stages/limit";
import { resolveRoute } from "./stages/route";
import { settle as settleLimits } from "../limiter/admission";
import type { Limiter } from "../limiter/limiter";
import { costUsd } from "./cost";
import { inputCostUsd } from "./reservation";

export interface ChatPipelineDeps {
  readonly store: PolicyStore<PreparedTarget>;
  readonly upstream: UpstreamClient;
  readonly metrics: SidecarMetrics;
  readonly logger: Logger;
  readonly usage: UsageSink;
  readonly upstreamTimeoutMs: number;
  readonly upstreamBodyTimeoutMs: number;
  /** Local limits; absent = none enforced. */
  readonly limits?: {
    readonly limiter: Limiter;
    readonly defaultMaxTokens: number;
    readonly wantLease: () => void;
  };
}

export class ChatPipeline {
  /** Before the body is read: policy pinned, key checked, content type checked. */
  readonly beforeBody: Stage;
  /** Auth only (GET endpoints). */
  readonly authenticate: Stage;
  private readonly afterBodyStages: Stage;
  readonly account: (ctx: RequestContext) => void;
  private active = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: ChatPipelineDeps) {
    this.authenticate = authenticate(deps.store);
    this.beforeBody = composeStages([this.authenticate, checkContentType]);
    const limits = deps.limits;
    this.afterBodyStages = composeStages(
      limits === undefined
        ? [parseChatBody, resolveRoute]
        : [
            parseChatBody,
            resolveRoute,
            limitStage({
              limiter: limits.limiter,
              defaultMaxTokens: limits.defaultMaxTokens,
              wantLease: limits.wantLease,
              onReject: (kind) => deps.metrics.countLimitRejection(kind),
            }),
          ],
    );
    this.account = createAccountant(deps.metrics, deps.usage);
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
  }

  /** The body has been read: validate, route, dispatch. Never throws. */
  run(ctx: RequestContext, sink: ResponseSink, body: Buffer): void {
    ctx.body = body;
    const problem = this.afterBodyStages(ctx);
    if (problem !== null) {
      this.reject(ctx, sink, problem);
      return;
    }
    this.active++;
    this.deps.metrics.inFlight.inc();
    let done: Promise<void>;
    try {
      done = this.dispatch(ctx, sink);
    } catch (err) {
      // An adapter rejects a parameter its provider cannot honour by throwing a ProxyError (e.g. invalid_request).
      if (!isProxyError(err)) this.deps.logger.error({ err, requestId: ctx.requestId }, "dispatch failed");
      const failure = isProxyError(err) ? err : proxyError("internal_error");
      ctx.status = failure.status;
      ctx.errorCode = failure.code;
      sink.sendError(failure);
      done = Promise.resolve();
    }
    const settle = (): void => this.settle(ctx);
    done.then(settle, settle);
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

  private dispatch(ctx: RequestContext, sink: ResponseSink): Promise<void> {
    const target = ctx.target;
    const json = ctx.json;
    const body = ctx.body;
    if (target === null || json === null || body === null) return Promise.resolve();
    const { adapter, deployment } = target.prepared;
    const request = adapter.buildChatRequest(deployment, {
      body,
      json,
      upstreamModel: target.upstreamModel,
      stream: ctx.stream,
      clientIncludeUsage: ctx.includeUsage,
      now: ctx.startedAtMs,
    });
    const sentAt = performance.now();
    const metrics = this.deps.metrics;
    const relay = new ChatRelay(ctx, sink, adapter, () =>
      metrics.observeUpstreamLatency(target.provider, (performance.now() - sentAt) / 1000),
    );
    ctx.attempts = 1;
    const call = this.deps.upstream.send(
      {
        origin: deployment.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        headersTimeoutMs: target.timeoutMs > 0 ? target.timeoutMs : this.deps.upstreamTimeoutMs,
        bodyTimeoutMs: this.deps.upstreamBodyTimeoutMs,
      },
      relay,
    );
    relay.attach(call);
    return relay.done;
  }

  private settle(ctx: RequestContext): void {
    if (ctx.status >= 500) {
      this.deps.logger.warn(
        { requestId: ctx.requestId, status: ctx.status, code: ctx.errorCode, deployment: ctx.target?.deploymentId },
        "request failed upstream",
      );
    }
    this.active--;
    this.deps.metrics.inFlight.dec();
    chargeAndSettle(ctx);
    this.account(ctx);
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
