/**
 * Cohere `POST /v2/embed` (shared with Cohere Embed on Bedrock, whose body is the same minus `model`): at most
 * 96 texts per call; `input_type` is required by v3+ models (request field `input_type`, else the deployment
 * option, else `search_document`); floats are always requested (`embedding_types: ["float"]`) and the sidecar
 * encodes base64 itself; OpenAI `dimensions` → `output_dimension`. Usage from `meta.billed_units.input_tokens`.
 */
import type { EmbeddingsCapability, EmbeddingsInput, EmbeddingsResponseContext, ParsedEmbeddings, PreparedDeployment, UpstreamRequest } from "../types";
import { numberVector, stringField, textsOf } from "../shared/embeddings";
import { count, isObject, parseJsonBytes, type Json } from "../shared/json-bytes";
import type { CoherePrepared } from "./request";

export const COHERE_EMBED_BATCH = 96;

/** The Cohere embed body fields (without `model`) for one call. */
export function cohereEmbedFields(input: EmbeddingsInput, defaultInputType: string): Json {
  const body: Json = {
    texts: textsOf(input.inputs),
    input_type: stringField(input.json, "input_type", defaultInputType),
    embedding_types: ["float"],
  };
  const truncate = stringField(input.json, "truncate", null);
  if (truncate !== null) body["truncate"] = truncate;
  if (input.dimensions !== null) body["output_dimension"] = input.dimensions;
  return body;
}

/** Float vectors of an embed response: `embeddings.float` (by type) or `embeddings` as a bare array (floats type). */
export function cohereVectors(json: unknown, expected: number): number[][] | null {
  if (!isObject(json)) return null;
  const e = json["embeddings"];
  const list = Array.isArray(e) ? e : isObject(e) ? e["float"] : undefined;
  if (!Array.isArray(list) || list.length !== expected) return null;
  const out: number[][] = [];
  for (const item of list) {
    const v = numberVector(item);
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

function prepared(target: PreparedDeployment): CoherePrepared {
  const t = target as Partial<CoherePrepared>;
  if (t.embedPath === undefined || t.embedInputType === undefined) throw new Error("cohere adapter: deployment was not prepared by this adapter");
  return target as CoherePrepared;
}

export function buildCohereEmbeddings(target: PreparedDeployment, input: EmbeddingsInput): UpstreamRequest {
  const t = prepared(target);
  const body = { model: input.upstreamModel, ...cohereEmbedFields(input, t.embedInputType) };
  return { method: "POST", path: t.embedPath, headers: t.headers, body: Buffer.from(JSON.stringify(body)) };
}

export function parseCohereEmbeddings(body: Uint8Array, context: EmbeddingsResponseContext): ParsedEmbeddings {
  const json = parseJsonBytes(body);
  const vectors = cohereVectors(json, context.count);
  if (vectors === null || !isObject(json)) return { ok: false, reason: "response has no float embeddings for every text" };
  const meta = isObject(json["meta"]) ? json["meta"] : {};
  const billed = isObject(meta["billed_units"]) ? meta["billed_units"] : {};
  return { ok: true, body: null, vectors, promptTokens: count(billed["input_tokens"]), model: null };
}

export const cohereEmbeddings: EmbeddingsCapability = Object.freeze({
  batchLimit: () => COHERE_EMBED_BATCH,
  tokenInputs: false,
  buildEmbeddingsRequest: buildCohereEmbeddings,
  parseEmbeddingsResponse: parseCohereEmbeddings,
});
