import type { RequestRecord } from "../../../../proto";
import type { SidecarMetrics } from "../../telemetry/metrics";
import type { RequestContext } from "../context";
import { costUsd } from "../cost";
import { parseTags } from "../tags";

/** Where finished-request records go (the usage reporter). Must not block. */
export interface UsageSink {
  record(record: RequestRecord): void;
}

/** The control plane rejects a batch holding a longer string field; `model` is the one a client controls. */
export const MAX_RECORD_FIELD = 512;

export function buildRecord(ctx: RequestContext, nowTick: number): RequestRecord {
  const key = ctx.key;
  const target = ctx.target;
  const usage = ctx.usage;
  return {
    request_id: ctx.requestId,
    key_id: key?.id ?? "",
    team_id: key?.teamId ?? "",
    user_id: key?.userId ?? "",
    project_id: key?.projectId ?? "",
    model: ctx.model.length > MAX_RECORD_FIELD ? ctx.model.slice(0, MAX_RECORD_FIELD) : ctx.model,
    provider: target?.provider ?? "",
    deployment_id: target?.deploymentId ?? "",
    upstream_model: target?.upstreamModel ?? "",
    status: ctx.status,
    error_code: ctx.errorCode,
    prompt_tokens: usage?.promptTokens ?? 0,
    completion_tokens: usage?.completionTokens ?? 0,
    cached_tokens: usage?.cachedTokens ?? 0,
    cache_write_tokens: usage?.cacheWriteTokens ?? 0,
    reasoning_tokens: usage?.reasoningTokens ?? 0,
    cost_usd: ctx.chargedUsd >= 0 ? ctx.chargedUsd : costUsd(usage, target?.price ?? null),
    latency_ms: Math.max(0, Math.round(nowTick - ctx.startTick)),
    ttft_ms: ctx.ttftMs,
    stream: ctx.stream,
    started_at_ms: ctx.startedAtMs,
    attempts: ctx.attempts,
    endpoint: ctx.endpoint,
    tags: { ...parseTags(ctx.tagsHeader) },
  };
}

/**
 * Final stage, run once per request: metrics always; a usage record for authenticated requests
 * (unauthenticated rejections are counted in metrics only, so a key-less flood cannot fill the queue).
 */
export function createAccountant(metrics: SidecarMetrics, usage: UsageSink): (ctx: RequestContext) => void {
  return (ctx) => {
    const now = performance.now();
    metrics.countRequest(ctx.route, ctx.status, ctx.errorCode);
    if (ctx.key !== null && ctx.endpoint !== "") usage.record(buildRecord(ctx, now));
  };
}
