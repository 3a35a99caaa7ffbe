/**
 * The only proto ↔ domain mapping of the control plane. Nothing else touches proto message types.
 */
import type * as pb from "../../../proto";
import type { Demand, Grant } from "../domain/lease-book";
import type * as d from "../domain/types";
import type { RequestRecord, UsageBatch, UsageDelta } from "../domain/usage-types";

const list = <T>(v: readonly T[] | undefined): T[] => (v ? [...v] : []);

const modelLimitsToProto = (m: d.ModelLimits): pb.ModelLimits => ({ rpm: m.rpm, tpm: m.tpm, max_concurrent: m.maxConcurrent });

export function limitsToProto(l: d.Limits): pb.Limits {
  const models: Record<string, pb.ModelLimits> = {};
  for (const [model, m] of Object.entries(l.modelLimits)) models[model] = modelLimitsToProto(m);
  return {
    ...modelLimitsToProto(l),
    budgets: l.budgets.map((b) => ({ id: b.id, limit_usd: b.limitUsd, period: b.period, hard: b.hard, timezone: b.timezone })),
    model_limits: models,
  };
}

export function teamToProto(t: d.Team): pb.Team {
  return { id: t.id, name: t.name, limits: limitsToProto(t.limits), allowed_models: list(t.allowedModels), metadata: { ...t.metadata } };
}

export function keyToProto(k: d.VirtualKey): pb.VirtualKey {
  return {
    id: k.id,
    hash: k.hash,
    team_id: k.teamId,
    user_id: k.userId,
    project_id: k.projectId,
    allowed_models: list(k.allowedModels),
    limits: limitsToProto(k.limits),
    expires_at_ms: k.expiresAtMs ?? 0,
    metadata: { ...k.metadata },
    display: k.display,
    previous_hashes: k.previousHashes.map((p) => ({ hash: p.hash, expires_at_ms: p.expiresAtMs })),
  };
}

export function routeToProto(r: d.Route): pb.Route {
  return {
    model: r.model,
    strategy: r.strategy,
    targets: r.targets.map((t) => ({ deployment_id: t.deploymentId, weight: t.weight, priority: t.priority })),
    retry: {
      max_attempts: r.retry.maxAttempts,
      retry_on: [...r.retry.retryOn],
      backoff_base_ms: r.retry.backoffBaseMs,
      backoff_max_ms: r.retry.backoffMaxMs,
      max_retry_after_ms: r.retry.maxRetryAfterMs,
    },
    timeouts: {
      connect_ms: r.timeouts.connectMs,
      first_token_ms: r.timeouts.firstTokenMs,
      idle_ms: r.timeouts.idleMs,
      total_ms: r.timeouts.totalMs,
    },
  };
}

export function deploymentToProto(x: d.Deployment): pb.Deployment {
  return {
    id: x.id,
    provider: x.provider,
    base_url: x.baseUrl,
    upstream_model: x.upstreamModel,
    credential_id: x.credentialId,
    region: x.region,
    options: { ...x.options },
    timeout_ms: x.timeoutMs,
    direct_models: [...x.directModels],
  };
}

export function priceToProto(p: d.Price): pb.Price {
  return {
    model: p.model,
    provider: p.provider,
    input_per_mtok: p.inputPerMtok,
    output_per_mtok: p.outputPerMtok,
    cached_input_per_mtok: p.cachedInputPerMtok,
    cache_write_per_mtok: p.cacheWritePerMtok,
    reasoning_per_mtok: p.reasoningPerMtok,
  };
}

export function snapshotToProto(s: d.PolicySnapshot): pb.PolicySnapshot {
  return {
    teams: s.teams.map(teamToProto),
    keys: s.keys.map(keyToProto),
    routes: s.routes.map(routeToProto),
    deployments: s.deployments.map(deploymentToProto),
    credentials: s.credentials.map((c) => ({ id: c.id, provider: c.provider, secrets: { ...c.secrets } })),
    prices: s.prices.map(priceToProto),
    price_catalog_version: s.priceCatalogVersion,
    global_model_limits: Object.fromEntries(s.globalLimits.map((g) => [g.model, modelLimitsToProto(g)])),
  };
}

/** A full-snapshot PolicyUpdate (the control plane sends no deltas yet). */
export function policyUpdateToProto(v: d.VersionedSnapshot): pb.PolicyUpdate {
  return { version: v.version, issued_at_ms: v.issuedAtMs, snapshot: snapshotToProto(v.snapshot) };
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown): number => (typeof v === "number" ? v : Number.NaN);
const stringMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
};

export function recordFromProto(r: pb.RequestRecord): RequestRecord {
  return {
    requestId: str(r.request_id), keyId: str(r.key_id), teamId: str(r.team_id), userId: str(r.user_id), projectId: str(r.project_id),
    model: str(r.model), provider: str(r.provider), deploymentId: str(r.deployment_id), upstreamModel: str(r.upstream_model),
    status: num(r.status), errorCode: str(r.error_code), promptTokens: num(r.prompt_tokens), completionTokens: num(r.completion_tokens),
    cachedTokens: num(r.cached_tokens), cacheWriteTokens: num(r.cache_write_tokens), reasoningTokens: num(r.reasoning_tokens),
    costUsd: num(r.cost_usd), latencyMs: num(r.latency_ms), ttftMs: num(r.ttft_ms), stream: r.stream === true,
    startedAtMs: num(r.started_at_ms), attempts: num(r.attempts), endpoint: str(r.endpoint), tags: stringMap(r.tags),
  };
}

export function deltaFromProto(x: pb.UsageDelta): UsageDelta {
  return {
    keyId: str(x.key_id), teamId: str(x.team_id), model: str(x.model), requests: num(x.requests),
    promptTokens: num(x.prompt_tokens), completionTokens: num(x.completion_tokens), costUsd: num(x.cost_usd),
  };
}

/** `sidecarId` is the one from the authenticated call metadata; the batch's own field is informational. */
export function usageBatchFromProto(b: pb.UsageBatch, sidecarId: string): UsageBatch {
  return {
    sidecarId,
    producerId: str(b.producer_id),
    seq: num(b.seq),
    createdAtMs: num(b.created_at_ms),
    records: list(b.records).map(recordFromProto),
    deltas: list(b.deltas).map(deltaFromProto),
  };
}

export function reportAckToProto(producerId: string, seq: number, duplicate: boolean): pb.ReportAck {
  return { producer_id: producerId, seq, duplicate };
}

export interface LeaseRequestIn {
  readonly seq: number;
  readonly demands: readonly Demand[];
}

export function leaseRequestFromProto(r: pb.LeaseRequest): LeaseRequestIn {
  return {
    seq: num(r.seq),
    demands: list(r.demands).map((d) => ({
      limitKey: str(d.limit_key), wanted: num(d.wanted), held: num(d.held), unreported: num(d.unreported),
      reserved: num(d.reserved), needed: num(d.needed), minUseful: num(d.min_useful), release: d.release === true,
    })),
  };
}

export function leaseResponseToProto(seq: number, grants: readonly Grant[], live: number, settled: boolean, ttlMs: number): pb.LeaseResponse {
  return {
    seq,
    live_sidecars: live,
    settled,
    grants: grants.map((g) => ({
      limit_key: g.limitKey, granted: g.granted, ttl_ms: g.limit > 0 ? ttlMs : 0, limit: g.limit, fallback_share: g.fallbackShare,
      remaining: g.remaining, reset_in_ms: g.resetInMs,
    })),
  };
}
