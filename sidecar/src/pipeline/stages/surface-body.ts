import { ProxyError, isProxyError } from "../../errors/proxy-error";
import type { InboundSurface } from "../../providers/types";
import type { Stage } from "../compose";
import type { RequestContext } from "../context";
import { parseContextBody } from "./chat-body";

/** Parses the body once and lets the surface check it; fills json, model and stream on the context. */
export function parseSurfaceBody(surface: InboundSurface): Stage {
  return (ctx: RequestContext): ProxyError | null => {
    const parsed = parseContextBody(ctx);
    if (parsed instanceof ProxyError) return parsed;
    const json = parsed.json;
    const fields = surface.checkBody(json);
    if (isProxyError(fields)) return fields;
    ctx.json = json as Record<string, unknown>;
    ctx.model = fields.model;
    ctx.stream = fields.stream;
    return null;
  };
}
