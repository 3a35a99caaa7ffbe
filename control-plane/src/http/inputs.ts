import type { z } from "zod";
import { NO_LIMITS } from "../domain/limits";
import type { Limits, ModelLimits } from "../domain/types";
import type { DeploymentInput, RouteInput, TeamInput } from "../store/types";
import type { LimitsBody, ModelLimitsBody, deploymentPutSchema, routePutSchema, teamPutSchema } from "./schemas";

/** Admin API JSON (already validated) → store inputs. */

export function modelLimitsFromBody(l: ModelLimitsBody): ModelLimits {
  return { rpm: l.rpm ?? 0, tpm: l.tpm ?? 0, maxConcurrent: l.max_concurrent ?? 0 };
}

export function limitsFromBody(l: LimitsBody | undefined): Limits {
  if (l === undefined) return NO_LIMITS;
  const models: Record<string, ModelLimits> = {};
  for (const [model, m] of Object.entries(l.model_limits ?? {})) models[model] = modelLimitsFromBody(m);
  return {
    ...modelLimitsFromBody(l),
    modelLimits: models,
    budgets: (l.budgets ?? []).map((b) => ({ id: b.id, limitUsd: b.limit_usd, period: b.period, hard: b.hard ?? false, timezone: b.timezone ?? "" })),
  };
}

export function teamInput(id: string, b: z.output<typeof teamPutSchema>): TeamInput {
  return { id, name: b.name, ownerUserId: b.owner_user_id ?? "", limits: limitsFromBody(b.limits), allowedModels: b.allowed_models ?? [], metadata: b.metadata ?? {} };
}

export function deploymentInput(id: string, b: z.output<typeof deploymentPutSchema>): DeploymentInput {
  return {
    id,
    provider: b.provider,
    baseUrl: b.base_url ?? "",
    upstreamModel: b.upstream_model ?? "",
    credentialId: b.credential_id ?? "",
    region: b.region ?? "",
    options: b.options ?? {},
    timeoutMs: b.timeout_ms ?? 0,
    directModels: b.direct_models ?? [],
  };
}

export function routeInput(model: string, b: z.output<typeof routePutSchema>): RouteInput {
  return {
    model,
    strategy: b.strategy ?? "priority",
    targets: b.targets.map((t) => ({ deploymentId: t.deployment_id, weight: t.weight ?? 1, priority: t.priority ?? 0 })),
    retry: {
      maxAttempts: b.retry?.max_attempts ?? 0,
      retryOn: b.retry?.retry_on ?? [],
      backoffBaseMs: b.retry?.backoff_base_ms ?? 0,
      backoffMaxMs: b.retry?.backoff_max_ms ?? 0,
      maxRetryAfterMs: b.retry?.max_retry_after_ms ?? 0,
    },
    timeouts: {
      connectMs: b.timeouts?.connect_ms ?? 0,
      firstTokenMs: b.timeouts?.first_token_ms ?? 0,
      idleMs: b.timeouts?.idle_ms ?? 0,
      totalMs: b.timeouts?.total_ms ?? 0,
    },
  };
}
