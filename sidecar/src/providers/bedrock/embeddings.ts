/**
 * Embeddings on Bedrock through `POST /model/{id}/invoke` (native bodies, providers.md §5.7), signed like
 * Converse. The model family is read from the upstream model id (plain id, cross-region profile such as
 * `us.cohere.embed-v4:0`, or an ARN):
 *
 * - Amazon Titan Text Embeddings (`amazon.titan-embed-text-v2:0`, v1): one text per call (the pipeline fans
 *   out), `{inputText, dimensions?}` → `{embedding, inputTextTokenCount}`; v1 takes no `dimensions`.
 * - Cohere Embed (`cohere.embed-english-v3`, `cohere.embed-multilingual-v3`, `cohere.embed-v4:0`): ≤96 texts,
 *   the Cohere `/v2/embed` body without `model`; token count from `X-Amzn-Bedrock-Input-Token-Count`.
 *
 * Any other model has no embeddings here (batchLimit 0: the pipeline answers embeddings_not_supported).
 */
import { cohereEmbedFields, cohereVectors, COHERE_EMBED_BATCH } from "../cohere/embeddings";
import type { EmbeddingsCapability, EmbeddingsInput, EmbeddingsResponseContext, ParsedEmbeddings, PreparedDeployment, UpstreamHeaders, UpstreamRequest } from "../types";
import { numberVector, textsOf } from "../shared/embeddings";
import { count, invalidParam, isRecord, parseJsonBytes, type Json } from "./json";
import { requestHeaders } from "./request";
import { bedrockPart } from "./target";

type Family = "titan-v1" | "titan-v2" | "cohere" | null;

export function embeddingFamily(model: string): Family {
  if (model.includes("amazon.titan-embed-text-v2")) return "titan-v2";
  if (model.includes("amazon.titan-embed")) return "titan-v1";
  if (model.includes("cohere.embed")) return "cohere";
  return null;
}

function header(headers: UpstreamHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function buildEmbeddingsRequest(target: PreparedDeployment, input: EmbeddingsInput): UpstreamRequest {
  const part = bedrockPart(target);
  const family = embeddingFamily(input.upstreamModel);
  let body: Json;
  if (family === "cohere") body = cohereEmbedFields(input, part.options.embedInputType);
  else {
    const [text] = textsOf(input.inputs);
    if (input.inputs.length !== 1 || text === undefined) throw new Error("bedrock adapter: Titan embeds one text per call");
    body = { inputText: text };
    if (input.dimensions !== null) {
      if (family !== "titan-v2") throw invalidParam("dimensions", "This Titan embeddings model has a fixed size; 'dimensions' needs amazon.titan-embed-text-v2.");
      body["dimensions"] = input.dimensions;
    }
  }
  const bytes = Buffer.from(JSON.stringify(body));
  const path = `${part.basePath}/model/${encodeURIComponent(input.upstreamModel)}/invoke`;
  return { method: "POST", path, headers: requestHeaders(target, path, bytes, input.now), body: bytes };
}

export function parseEmbeddingsResponse(body: Uint8Array, context: EmbeddingsResponseContext): ParsedEmbeddings {
  const json = parseJsonBytes(body);
  if (!isRecord(json)) return { ok: false, reason: "response body is not a JSON object" };
  const headerTokens = count(Number(header(context.headers, "x-amzn-bedrock-input-token-count") ?? ""));
  if (json["embedding"] !== undefined || json["inputTextTokenCount"] !== undefined) {
    const v = numberVector(json["embedding"]);
    if (v === null || context.count !== 1) return { ok: false, reason: "Titan response has no embedding" };
    const tokens = count(json["inputTextTokenCount"]);
    return { ok: true, body: null, vectors: [v], promptTokens: tokens > 0 ? tokens : headerTokens, model: null };
  }
  const vectors = cohereVectors(json, context.count);
  if (vectors === null) return { ok: false, reason: "Cohere response has no float embeddings for every text" };
  return { ok: true, body: null, vectors, promptTokens: headerTokens, model: null };
}

export const bedrockEmbeddings: EmbeddingsCapability = Object.freeze({
  batchLimit: (model: string) => {
    const family = embeddingFamily(model);
    return family === null ? 0 : family === "cohere" ? COHERE_EMBED_BATCH : 1;
  },
  tokenInputs: false,
  buildEmbeddingsRequest,
  parseEmbeddingsResponse,
});
