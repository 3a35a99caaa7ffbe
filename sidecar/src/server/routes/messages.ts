import type { ChatPipeline } from "../../pipeline/chat";
import { SURFACES } from "../../providers/registry";
import { jsonPostHandler } from "./json-post";

export const MESSAGES_ENDPOINT = "/v1/messages";

/** `POST /v1/messages`: `x-api-key` or bearer auth, the surface's own error shape and forwarded headers. */
export function messagesHandler(pipeline: ChatPipeline, maxBodyBytes: number, bodyTimeoutMs: number) {
  const surface = SURFACES.messages;
  return jsonPostHandler(pipeline, maxBodyBytes, bodyTimeoutMs, {
    label: "messages",
    path: MESSAGES_ENDPOINT,
    run: (ctx, sink, body) => pipeline.run(ctx, sink, body, pipeline.messages),
    dialect: surface.dialect,
    apiKeyHeader: true,
    clientHeaders: surface.clientHeaders,
  });
}
