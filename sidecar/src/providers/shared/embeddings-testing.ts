/** Builders for the adapters' embeddings unit tests (test-only helpers; pure). */
import type { EmbeddingEncoding, EmbeddingInput, EmbeddingsInput, EmbeddingsResponseContext, UpstreamHeaders } from "../types";

/** An EmbeddingsInput for `json` as the pipeline would pass it (whole request, client's bytes). */
export function embeddingsInput(json: Record<string, unknown>, over: Partial<EmbeddingsInput> = {}): EmbeddingsInput {
  const raw = json["input"];
  const inputs: EmbeddingInput[] = typeof raw === "string" || (Array.isArray(raw) && typeof raw[0] === "number") ? [raw as EmbeddingInput] : ((raw ?? []) as EmbeddingInput[]);
  return {
    body: Buffer.from(JSON.stringify(json)),
    json,
    inputs,
    whole: true,
    upstreamModel: typeof json["model"] === "string" ? json["model"] : "m",
    encoding: json["encoding_format"] === "base64" ? "base64" : "float",
    dimensions: typeof json["dimensions"] === "number" ? json["dimensions"] : null,
    now: Date.UTC(2026, 0, 1),
    ...over,
  };
}

export function responseContext(inputs: readonly EmbeddingInput[], over: { whole?: boolean; encoding?: EmbeddingEncoding; headers?: UpstreamHeaders } = {}): EmbeddingsResponseContext {
  return { headers: over.headers ?? {}, count: inputs.length, inputs, whole: over.whole ?? false, encoding: over.encoding ?? "float" };
}

export function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
