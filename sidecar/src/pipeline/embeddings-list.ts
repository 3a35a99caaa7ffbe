/** The OpenAI embeddings list the sidecar writes when it did not forward upstream bytes as they were. */
import type { EmbeddingEncoding, EmbeddingVector } from "../providers/types";
import { encodeVector } from "../providers/shared/embeddings";

/** `{"object":"list","data":[…],"model","usage"}` with `index` = position; null when a vector is malformed. */
export function encodeEmbeddingsList(
  vectors: readonly EmbeddingVector[],
  encoding: EmbeddingEncoding,
  model: string,
  promptTokens: number,
): Buffer | null {
  const parts: string[] = ['{"object":"list","data":['];
  for (let i = 0; i < vectors.length; i++) {
    const embedding = encodeVector(vectors[i] as EmbeddingVector, encoding);
    if (embedding === null) return null;
    parts.push(i === 0 ? "" : ",", '{"object":"embedding","index":', String(i), ',"embedding":', embedding, "}");
  }
  parts.push('],"model":', JSON.stringify(model), ',"usage":{"prompt_tokens":', String(promptTokens), ',"total_tokens":', String(promptTokens), "}}");
  return Buffer.from(parts.join(""));
}
