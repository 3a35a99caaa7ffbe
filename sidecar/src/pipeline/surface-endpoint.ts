import type { InboundSurface, ProviderAdapter, ResponseCodec } from "../providers/types";
import { composeStages } from "./compose";
import type { RequestContext } from "./context";
import type { Endpoint, Exchange, Routed } from "./endpoint";
import { resolveRoute } from "./stages/route";
import { parseSurfaceBody } from "./stages/surface-body";

/**
 * An inbound surface other than chat completions (same routing, allow-list and accounting). A target whose
 * adapter speaks the surface natively gets the client's body as-is and its bytes come back unchanged;
 * any other target gets the canonical translation through its ordinary adapter, translated back.
 */
export function surfaceEndpoint(surface: InboundSurface): Endpoint {
  const translated = new WeakMap<ProviderAdapter, ResponseCodec>();
  const translatedCodec = (adapter: ProviderAdapter): ResponseCodec => {
    let codec = translated.get(adapter);
    if (codec === undefined) {
      codec = surface.fromCanonical(adapter);
      translated.set(adapter, codec);
    }
    return codec;
  };
  return {
    afterBody: composeStages([parseSurfaceBody(surface), resolveRoute]),
    plan(ctx: RequestContext, { target, json, body }: Routed): Exchange {
      const { adapter, deployment } = target.prepared;
      const common = { upstreamModel: target.upstreamModel, stream: ctx.stream, now: ctx.startedAtMs };
      const native = adapter.native?.[surface.id];
      if (native !== undefined) {
        const request = native.buildRequest(deployment, { ...common, body, json, clientIncludeUsage: false, clientHeaders: ctx.clientHeaders });
        return { request, codec: native };
      }
      const canonical = surface.toCanonical(json);
      const request = adapter.buildChatRequest(deployment, {
        ...common,
        body: Buffer.from(JSON.stringify(canonical)),
        json: canonical,
        clientIncludeUsage: true,
      });
      return { request, codec: translatedCodec(adapter) };
    },
  };
}
