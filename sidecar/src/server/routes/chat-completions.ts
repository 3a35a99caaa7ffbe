import { OPENAI_DIALECT } from "../../errors/dialect";
import type { ChatPipeline } from "../../pipeline/chat";
import { jsonPostHandler } from "./json-post";

export const CHAT_ENDPOINT = "/v1/chat/completions";

/** `POST /v1/chat/completions`: bearer auth, OpenAI errors. */
export function chatCompletionsHandler(pipeline: ChatPipeline, maxBodyBytes: number, bodyTimeoutMs: number) {
  return jsonPostHandler(pipeline, maxBodyBytes, bodyTimeoutMs, {
    label: "chat_completions",
    path: CHAT_ENDPOINT,
    run: (ctx, sink, body) => pipeline.run(ctx, sink, body, pipeline.chat),
    dialect: OPENAI_DIALECT,
    apiKeyHeader: false,
    clientHeaders: [],
  });
}
