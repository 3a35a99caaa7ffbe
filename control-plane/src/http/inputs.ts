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
  return { id, name: b.name, limits: limitsFromBody(b.limits), allowedModels: b.allowed_models ?? [], metadata: b.metadata ?? {} };
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
  };
}

export function routeInput(model: string, b: z.output<typeof routePutSchema>): RouteInput {
  return {
    model,
    strategy: b.strategy ?? "priority",
    targets: b.targets.map((t) => ({ deploymentId: t.deployment_id, weight: t.weight ?? 1, priority: t.priority ?? 0 })),
  };
}
