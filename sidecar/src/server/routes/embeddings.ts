import type { EmbeddingsPipeline } from "../../pipeline/embeddings";
import { jsonPostHandler } from "./json-post";

export const EMBEDDINGS_ENDPOINT = "/v1/embeddings";

export function embeddingsHandler(pipeline: EmbeddingsPipeline, maxBodyBytes: number) {
  return jsonPostHandler(pipeline.core, maxBodyBytes, {
    route: "embeddings",
    endpoint: EMBEDDINGS_ENDPOINT,
    run: (ctx, sink, body) => pipeline.run(ctx, sink, body),
  });
}
