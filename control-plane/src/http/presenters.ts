import { keyStatus } from "../domain/keys";
import type { Deployment, GlobalModelLimit, Limits, ModelLimits, ProviderCredential, Route, Team, VirtualKey } from "../domain/types";
import type { StoredRequestRecord, UsageRow } from "../domain/usage-types";

/** Domain → admin API JSON. Never includes key hashes, key secrets or credential secrets. */

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

const modelLimitsJson = (m: ModelLimits) => ({ rpm: m.rpm, tpm: m.tpm, max_concurrent: m.maxConcurrent });

export function globalLimitJson(g: GlobalModelLimit) {
  return { model: g.model, ...modelLimitsJson(g), created_at: iso(g.createdAtMs), updated_at: iso(g.updatedAtMs) };
}

export function limitsJson(l: Limits) {
  return {
    ...modelLimitsJson(l),
    model_limits: Object.fromEntries(Object.entries(l.modelLimits).map(([model, m]) => [model, modelLimitsJson(m)])),
    budgets: l.budgets.map((b) => ({ id: b.id, limit_usd: b.limitUsd, period: b.period, hard: b.hard, timezone: b.timezone })),
  };
}

export function teamJson(t: Team) {
  return {
    id: t.id, name: t.name, owner_user_id: t.ownerUserId === "" ? null : t.ownerUserId, allowed_models: [...t.allowedModels], limits: limitsJson(t.limits), metadata: { ...t.metadata },
    created_at: iso(t.createdAtMs), updated_at: iso(t.updatedAtMs),
  };
}

export function keyJson(k: VirtualKey, nowMs: number) {
  return {
    id: k.id, team_id: k.teamId, name: k.name, user_id: k.userId, project_id: k.projectId, display: k.display,
    status: keyStatus(k, nowMs), allowed_models: [...k.allowedModels], limits: limitsJson(k.limits), metadata: { ...k.metadata },
    created_at: iso(k.createdAtMs), revoked_at: isoOrNull(k.revokedAtMs), expires_at: isoOrNull(k.expiresAtMs),
    previous_secrets_expire_at: k.previousHashes.filter((p) => p.expiresAtMs > nowMs).map((p) => iso(p.expiresAtMs)),
  };
}

export function credentialJson(c: ProviderCredential) {
  return { id: c.id, provider: c.provider, secret_fields: [...c.secretFields], created_at: iso(c.createdAtMs), updated_at: iso(c.updatedAtMs) };
}

export function deploymentJson(d: Deployment) {
  return {
    id: d.id, provider: d.provider, base_url: d.baseUrl, upstream_model: d.upstreamModel,
    credential_id: d.credentialId === "" ? null : d.credentialId, region: d.region, options: { ...d.options }, timeout_ms: d.timeoutMs,
    direct_models: [...d.directModels],
    created_at: iso(d.createdAtMs), updated_at: iso(d.updatedAtMs),
  };
}

export function routeJson(r: Route) {
  return {
    model: r.model, strategy: r.strategy,
    targets: r.targets.map((t) => ({ deployment_id: t.deploymentId, weight: t.weight, priority: t.priority })),
    retry: {
      max_attempts: r.retry.maxAttempts, retry_on: [...r.retry.retryOn], backoff_base_ms: r.retry.backoffBaseMs,
      backoff_max_ms: r.retry.backoffMaxMs, max_retry_after_ms: r.retry.maxRetryAfterMs,
    },
    timeouts: { connect_ms: r.timeouts.connectMs, first_token_ms: r.timeouts.firstTokenMs, idle_ms: r.timeouts.idleMs, total_ms: r.timeouts.totalMs },
    created_at: iso(r.createdAtMs), updated_at: iso(r.updatedAtMs),
  };
}

export function usageRowJson(r: UsageRow) {
  return { group: r.group, requests: r.requests, prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens, cost_usd: r.costUsd };
}

export function usageRecordJson(r: StoredRequestRecord) {
  return {
    request_id: r.requestId, key_id: r.keyId, team_id: r.teamId, user_id: r.userId, project_id: r.projectId, model: r.model,
    provider: r.provider, deployment_id: r.deploymentId, upstream_model: r.upstreamModel, status: r.status, error_code: r.errorCode,
    prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens, cached_tokens: r.cachedTokens,
    cache_write_tokens: r.cacheWriteTokens, reasoning_tokens: r.reasoningTokens, cost_usd: r.costUsd, latency_ms: r.latencyMs,
    ttft_ms: r.ttftMs, stream: r.stream, started_at: iso(r.startedAtMs), attempts: r.attempts, endpoint: r.endpoint,
    tags: { ...r.tags }, sidecar_id: r.sidecarId, received_at: iso(r.receivedAtMs),
  };
}
