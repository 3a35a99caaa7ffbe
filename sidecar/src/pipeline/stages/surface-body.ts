import { ProxyError, isProxyError, proxyError } from "../../errors/proxy-error";
import type { InboundSurface } from "../../providers/types";
import type { Stage } from "../compose";
import type { RequestContext } from "../context";

/** Parses the body once and lets the surface check it; fills json, model and stream on the context. */
export function parseSurfaceBody(surface: InboundSurface): Stage {
  return (ctx: RequestContext): ProxyError | null => {
    const body = ctx.body;
    if (body === null || body.length === 0) return new ProxyError("invalid_request", "The request body is empty.");
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      return proxyError("invalid_json");
    }
    const fields = surface.checkBody(json);
    if (isProxyError(fields)) return fields;
    ctx.json = json as Record<string, unknown>;
    ctx.model = fields.model;
    ctx.stream = fields.stream;
    return null;
  };
}
