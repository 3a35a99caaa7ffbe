import type { ChatPipeline } from "../../pipeline/chat";
import { jsonPostHandler } from "./json-post";

export const CHAT_ENDPOINT = "/v1/chat/completions";

export function chatCompletionsHandler(pipeline: ChatPipeline, maxBodyBytes: number) {
  return jsonPostHandler(pipeline, maxBodyBytes, {
    route: "chat_completions",
    endpoint: CHAT_ENDPOINT,
    run: (ctx, sink, body) => pipeline.run(ctx, sink, body),
  });
}
