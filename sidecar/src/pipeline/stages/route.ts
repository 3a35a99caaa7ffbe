import { ProxyError, proxyError } from "../../errors/proxy-error";
import { mayUseModel } from "../../policy/direct";
import type { RouteEntry } from "../../policy/snapshot";
import type { RequestContext } from "../context";
import type { PreparedTarget, SidecarTarget } from "../policy-types";

/**
 * The one place the routing choice is made. Priority: the first usable target. Weighted: a weighted
 * random pick among the lowest-priority group. (Failover across `targets` comes later.)
 */
export function selectTarget(route: RouteEntry<PreparedTarget>, random: () => number = Math.random): SidecarTarget {
  const primary = route.primary;
  if (route.strategy !== "weighted" || primary.length === 1) return primary[0] as SidecarTarget;
  const cumulative = route.cumulativeWeights;
  const total = cumulative[cumulative.length - 1] as number;
  const pick = random() * total;
  for (let i = 0; i < primary.length; i++) {
    if (pick < (cumulative[i] as number)) return primary[i] as SidecarTarget;
  }
  return primary[primary.length - 1] as SidecarTarget;
}

/** model → route, else a direct `<provider>/<model>` address (404 when neither), then the key's allowed set (403). */
export function resolveRoute(ctx: RequestContext): ProxyError | null {
  const policy = ctx.policy;
  if (policy === null) return proxyError("not_ready");
  const route = policy.routes.get(ctx.model);
  const direct = route === undefined ? policy.direct.resolve(ctx.model) : null;
  if (route === undefined && direct === null) return modelNotFound(ctx.model);
  if (!mayUseModel(ctx.key?.allowed ?? null, ctx.model)) return modelNotAllowed(ctx.model);
  ctx.target = route === undefined ? (direct as SidecarTarget) : selectTarget(route);
  return null;
}

function modelNotFound(model: string): ProxyError {
  return new ProxyError("model_not_found", `The model '${model}' does not exist or has no route.`, "model");
}

function modelNotAllowed(model: string): ProxyError {
  return new ProxyError("model_not_allowed", `This API key may not use the model '${model}'.`, "model");
}
