/**
 * `/embeddings` of OpenAI and OpenAI-shaped upstreams (Azure, Mistral, Ollama `/v1`, vLLM, …). The client's
 * bytes go upstream unchanged when nothing needs rewriting (whole batch, same model, an encoding the upstream
 * honours, no field rule hit), and the upstream's bytes come back unchanged when the call answered the whole
 * request in the encoding the client asked for; usage is then read by the byte-level fast path.
 */
import type {
  EmbeddingEncoding,
  EmbeddingsCapability,
  EmbeddingsInput,
  EmbeddingsResponseContext,
  EmbeddingVector,
  ParsedEmbeddings,
  PreparedDeployment,
  UpstreamRequest,
} from "../types";
import { anyVector } from "../shared/embeddings";
import { isRecord, tryParseJson } from "./bytes";
import { applyFieldRules, checkFieldRules } from "./field-rules";
import { parseChatResponse } from "./response";
import { usageFromOpenAi } from "./usage";
import type { FieldRule } from "./vendor-quirks";

/** How an OpenAI-shaped upstream's `/embeddings` deviates from OpenAI's (one per vendor row; data, not code). */
export interface EmbeddingsQuirks {
  /** Most inputs per upstream call. */
  readonly maxBatch: number;
  /** Top-level request fields the upstream cannot take as-is (e.g. Mistral `dimensions` → `output_dimension`). */
  readonly fields: Readonly<Record<string, FieldRule>>;
  /** Token-id inputs (`number[]`, `number[][]`) accepted. */
  readonly tokenInputs: boolean;
  /** `encoding_format: "base64"` honoured upstream; otherwise floats are requested and the sidecar encodes. */
  readonly base64: boolean;
}

/** OpenAI's own limits: 2048 inputs per request, token ids and base64 supported. */
export const OPENAI_EMBEDDINGS: EmbeddingsQuirks = Object.freeze({ maxBatch: 2048, fields: {}, tokenInputs: true, base64: true });

/** Where a call goes and which `model` the body must carry (null: keep the client's, e.g. Azure deployment routes). */
export interface EmbeddingsRoute {
  readonly path: string;
  readonly model: string | null;
}

export function createCompatEmbeddings(
  q: EmbeddingsQuirks,
  route: (target: PreparedDeployment, input: EmbeddingsInput) => EmbeddingsRoute,
): EmbeddingsCapability {
  const entries = Object.freeze(Object.entries(q.fields));
  const upstreamEncoding = (wanted: EmbeddingEncoding): EmbeddingEncoding => (wanted === "base64" && q.base64 ? "base64" : "float");
  return Object.freeze({
    batchLimit: () => q.maxBatch,
    tokenInputs: q.tokenInputs,
    buildEmbeddingsRequest(target: PreparedDeployment, input: EmbeddingsInput): UpstreamRequest {
      const { path, model } = route(target, input);
      return { method: "POST", path, headers: target.headers, body: embeddingsBody(input, model, upstreamEncoding(input.encoding), entries) };
    },
    parseEmbeddingsResponse(body: Uint8Array, context: EmbeddingsResponseContext): ParsedEmbeddings {
      if (context.whole && upstreamEncoding(context.encoding) === context.encoding) return passThrough(body);
      return parseOpenAiEmbeddings(body, context.count);
    },
  });
}

function embeddingsBody(
  input: EmbeddingsInput,
  model: string | null,
  encoding: EmbeddingEncoding,
  entries: readonly (readonly [string, FieldRule])[],
): Uint8Array {
  const json = input.json;
  const clientEncoding = json["encoding_format"] === "base64" ? "base64" : "float";
  const renameModel = model !== null && json["model"] !== model;
  const ruled = checkFieldRules(json, entries);
  if (input.whole && !renameModel && clientEncoding === encoding && !ruled) return input.body;
  const copy: Record<string, unknown> = { ...json };
  if (renameModel) copy["model"] = model;
  if (!input.whole) copy["input"] = input.inputs;
  if (encoding !== clientEncoding) {
    // Only to base64 for a base64-capable upstream, else back to the float default (the sidecar encodes).
    if (encoding === "base64") copy["encoding_format"] = "base64";
    else delete copy["encoding_format"];
  }
  applyFieldRules(copy, entries);
  return Buffer.from(JSON.stringify(copy));
}

/** Bytes unchanged; prompt tokens from the `usage` member (fast path, whole-body parse as fallback). */
function passThrough(body: Uint8Array): ParsedEmbeddings {
  const parsed = parseChatResponse(body);
  if (!parsed.ok) return parsed;
  return { ok: true, body, vectors: [], promptTokens: parsed.usage?.promptTokens ?? 0, model: null };
}

/** An OpenAI embeddings list → vectors in `index` order (the count must match what was sent). */
export function parseOpenAiEmbeddings(body: Uint8Array, count: number): ParsedEmbeddings {
  const json = tryParseJson(body);
  if (!isRecord(json) || !Array.isArray(json["data"])) return { ok: false, reason: "response has no data array" };
  const data = json["data"] as unknown[];
  if (data.length !== count) return { ok: false, reason: `expected ${count} embeddings, got ${data.length}` };
  const vectors = new Array<EmbeddingVector | undefined>(count);
  for (let i = 0; i < data.length; i++) {
    const item = data[i];
    if (!isRecord(item)) return { ok: false, reason: "embedding item is not an object" };
    const index = typeof item["index"] === "number" ? item["index"] : i;
    const vector = anyVector(item["embedding"]);
    if (!Number.isInteger(index) || index < 0 || index >= count || vectors[index] !== undefined || vector === null) {
      return { ok: false, reason: "embedding item has a bad index or vector" };
    }
    vectors[index] = vector;
  }
  const usage = usageFromOpenAi(json["usage"]);
  const model = typeof json["model"] === "string" ? json["model"] : null;
  return { ok: true, body: null, vectors: vectors as EmbeddingVector[], promptTokens: usage?.promptTokens ?? 0, model };
}

/** The `/embeddings` path next to a prepared `/chat/completions` path. */
export function siblingPath(chatPath: string, endpoint: string): string {
  const at = chatPath.lastIndexOf("/chat/completions");
  return at === -1 ? chatPath : chatPath.slice(0, at) + endpoint + chatPath.slice(at + "/chat/completions".length);
}
