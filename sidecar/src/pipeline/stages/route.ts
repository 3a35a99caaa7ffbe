import { ProxyError, proxyError } from "../../errors/proxy-error";
import { mayUseModel } from "../../policy/direct";
import type { RequestContext } from "../context";
import type { SidecarTarget } from "../policy-types";

/** model → route, else a direct `<provider>/<model>` address (404 when neither), then the key's allowed set (403). */
export function resolveRoute(ctx: RequestContext): ProxyError | null {
  const policy = ctx.policy;
  if (policy === null) return proxyError("not_ready");
  const route = policy.routes.get(ctx.model);
  const direct = route === undefined ? policy.direct.resolve(ctx.model) : null;
  if (route === undefined && direct === null) return modelNotFound(ctx.model);
  if (!mayUseModel(ctx.key?.allowed ?? null, ctx.model)) return modelNotAllowed(ctx.model);
  // The attempt loop plans the order over the route's deployments (strategy, breakers) at dispatch; until then
  // the target is the route's first, which is what stages before dispatch (e.g. cost estimates) look at.
  ctx.routeEntry = route ?? null;
  ctx.target = route === undefined ? (direct as SidecarTarget) : (route.targets[0] as SidecarTarget);
  return null;
}

function modelNotFound(model: string): ProxyError {
  return new ProxyError("model_not_found", `The model '${model}' does not exist or has no route.`, "model");
}

function modelNotAllowed(model: string): ProxyError {
  return new ProxyError("model_not_allowed", `This API key may not use the model '${model}'.`, "model");
}
