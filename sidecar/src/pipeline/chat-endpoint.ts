import { composeStages } from "./compose";
import type { RequestContext } from "./context";
import type { Endpoint, Exchange, Routed } from "./endpoint";
import { parseChatBody } from "./stages/chat-body";
import { resolveRoute } from "./stages/route";

/** `POST /v1/chat/completions`: the canonical surface; the target's adapter builds the request and reads the answer. */
export function chatEndpoint(): Endpoint {
  return {
    afterBody: composeStages([parseChatBody, resolveRoute]),
    plan(ctx: RequestContext, { target, json, body }: Routed): Exchange {
      const { adapter, deployment } = target.prepared;
      const request = adapter.buildChatRequest(deployment, {
        body,
        json,
        upstreamModel: target.upstreamModel,
        stream: ctx.stream,
        clientIncludeUsage: ctx.includeUsage,
        now: ctx.startedAtMs,
      });
      return { request, codec: adapter };
    },
  };
}
