/**
 * Embeddings on Google: the Gemini API's `:batchEmbedContents` (≤100 texts per call; it reports no token
 * count, so prompt tokens are estimated — see shared/embeddings.ts) and Vertex AI's `:predict`
 * (`instances`/`predictions` with `statistics.token_count`; 250 instances per call, 1 for `gemini-embedding-*`
 * models, which take a single input per request there). OpenAI `dimensions` → `outputDimensionality`;
 * `taskType` from the request's `task_type` field or the deployment option `task_type`. Text only.
 */
import type { EmbeddingsCapability, EmbeddingsInput, EmbeddingsResponseContext, ParsedEmbeddings, PreparedDeployment, UpstreamRequest } from "../types";
import { estimateTokens, numberVector, stringField, textsOf } from "../shared/embeddings";
import { count, isRecord, parseJsonBytes, type Json } from "./json";
import { isGeminiTarget, type GeminiTarget } from "./deployment";
import { modelSegment } from "./request";
import type { Dialect } from "./parts";

export const GEMINI_EMBED_BATCH = 100;
export const VERTEX_EMBED_BATCH = 250;

function target(t: PreparedDeployment): GeminiTarget {
  if (!isGeminiTarget(t)) throw new Error("gemini adapter: deployment was not prepared by this adapter");
  return t;
}

export function buildEmbeddingsRequest(prepared: PreparedDeployment, input: EmbeddingsInput): UpstreamRequest {
  const t = target(prepared);
  const model = modelSegment(input.upstreamModel);
  const texts = textsOf(input.inputs);
  const task = stringField(input.json, "task_type", t.embedTaskType);
  const body = t.dialect === "vertex" ? vertexBody(texts, task, input.dimensions) : geminiBody(model, texts, task, input.dimensions);
  const method = t.dialect === "vertex" ? ":predict" : ":batchEmbedContents";
  return { method: "POST", path: t.chatPath + model + method, headers: t.headers, body: Buffer.from(JSON.stringify(body)) };
}

function geminiBody(model: string, texts: string[], task: string | null, dimensions: number | null): Json {
  return {
    requests: texts.map((text) => {
      const request: Json = { model: `models/${model}`, content: { parts: [{ text }] } };
      if (task !== null) request["taskType"] = task;
      if (dimensions !== null) request["outputDimensionality"] = dimensions;
      return request;
    }),
  };
}

function vertexBody(texts: string[], task: string | null, dimensions: number | null): Json {
  const body: Json = { instances: texts.map((content) => (task === null ? { content } : { content, task_type: task })) };
  if (dimensions !== null) body["parameters"] = { outputDimensionality: dimensions };
  return body;
}

export function parseGeminiEmbeddings(body: Uint8Array, context: EmbeddingsResponseContext): ParsedEmbeddings {
  const json = parseJsonBytes(body);
  if (!isRecord(json) || !Array.isArray(json["embeddings"])) return { ok: false, reason: "response has no embeddings array" };
  const vectors = collect(json["embeddings"] as unknown[], context.count, (e) => (isRecord(e) ? e["values"] : undefined));
  if (vectors === null) return { ok: false, reason: "bad or missing embedding values" };
  const usage = isRecord(json["usageMetadata"]) ? count(json["usageMetadata"]["promptTokenCount"]) : 0;
  return { ok: true, body: null, vectors, promptTokens: usage > 0 ? usage : estimateTokens(context.inputs), model: null };
}

export function parseVertexEmbeddings(body: Uint8Array, context: EmbeddingsResponseContext): ParsedEmbeddings {
  const json = parseJsonBytes(body);
  if (!isRecord(json) || !Array.isArray(json["predictions"])) return { ok: false, reason: "response has no predictions array" };
  let tokens = 0;
  const vectors = collect(json["predictions"] as unknown[], context.count, (p) => {
    const e = isRecord(p) ? p["embeddings"] : undefined;
    if (!isRecord(e)) return undefined;
    if (isRecord(e["statistics"])) tokens += count(e["statistics"]["token_count"]);
    return e["values"];
  });
  if (vectors === null) return { ok: false, reason: "bad or missing prediction values" };
  return { ok: true, body: null, vectors, promptTokens: tokens, model: null };
}

function collect(items: unknown[], expected: number, values: (item: unknown) => unknown): number[][] | null {
  if (items.length !== expected) return null;
  const out: number[][] = [];
  for (const item of items) {
    const v = numberVector(values(item));
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

export function createGoogleEmbeddings(dialect: Dialect): EmbeddingsCapability {
  return Object.freeze({
    batchLimit: (model: string) => (dialect === "gemini" ? GEMINI_EMBED_BATCH : model.includes("gemini-embedding") ? 1 : VERTEX_EMBED_BATCH),
    tokenInputs: false,
    buildEmbeddingsRequest,
    parseEmbeddingsResponse: dialect === "vertex" ? parseVertexEmbeddings : parseGeminiEmbeddings,
  });
}
