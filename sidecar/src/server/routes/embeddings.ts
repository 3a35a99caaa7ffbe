import { OPENAI_DIALECT } from "../../errors/dialect";
import type { EmbeddingsPipeline } from "../../pipeline/embeddings";
import { jsonPostHandler } from "./json-post";

export const EMBEDDINGS_ENDPOINT = "/v1/embeddings";

/** `POST /v1/embeddings`: bearer auth, OpenAI errors. */
export function embeddingsHandler(pipeline: EmbeddingsPipeline, maxBodyBytes: number, bodyTimeoutMs: number) {
  return jsonPostHandler(pipeline.core, maxBodyBytes, bodyTimeoutMs, {
    label: "embeddings",
    path: EMBEDDINGS_ENDPOINT,
    dialect: OPENAI_DIALECT,
    apiKeyHeader: false,
    clientHeaders: [],
    run: (ctx, sink, body) => pipeline.run(ctx, sink, body),
  });
}
