import { ProxyError, proxyError } from "../../errors/proxy-error";
import type { EmbeddingEncoding, EmbeddingInput } from "../../providers/types";
import type { RequestContext } from "../context";
import { parseContextBody } from "./chat-body";

/** Most inputs one `/v1/embeddings` request may carry (OpenAI's own limit); the sidecar splits per provider. */
export const MAX_EMBEDDING_INPUTS = 2048;

/** The validated embeddings request the pipeline works with. */
export interface EmbeddingsRequest {
  /** Client order; a single string or token array becomes a one-element list. */
  readonly inputs: readonly EmbeddingInput[];
  readonly encoding: EmbeddingEncoding;
  readonly dimensions: number | null;
  /** Some input is token ids (providers without `tokenInputs` reject the request). */
  readonly hasTokenInputs: boolean;
}

function invalid(message: string, param: string | null): ProxyError {
  return new ProxyError("invalid_request", message, param);
}

function isTokenArray(value: unknown): value is number[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (const v of value) if (!Number.isInteger(v) || (v as number) < 0) return false;
  return true;
}

/** `input` → the list of inputs, or the rejection naming the offending element. */
function parseInputs(input: unknown): { inputs: EmbeddingInput[]; tokens: boolean } | ProxyError {
  const shape = "'input' must be a non-empty string, an array of non-empty strings, an array of token ids or an array of token-id arrays.";
  if (typeof input === "string") return input === "" ? invalid(shape, "input") : { inputs: [input], tokens: false };
  if (!Array.isArray(input) || input.length === 0) return invalid(shape, "input");
  if (typeof input[0] === "number") return isTokenArray(input) ? { inputs: [input], tokens: true } : invalid(shape, "input");
  if (input.length > MAX_EMBEDDING_INPUTS) return invalid(`'input' may hold at most ${MAX_EMBEDDING_INPUTS} items.`, "input");
  let tokens = false;
  for (let i = 0; i < input.length; i++) {
    const item: unknown = input[i];
    if (typeof item === "string" && item !== "") continue;
    if (isTokenArray(item)) {
      tokens = true;
      continue;
    }
    return invalid(shape, `input[${i}]`);
  }
  return { inputs: input as EmbeddingInput[], tokens };
}

/** The narrow hand-written check of an embeddings body. `null` counts as absent for optional fields. */
export function checkEmbeddingsBody(json: unknown): EmbeddingsRequest | ProxyError {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return invalid("The request body must be a JSON object.", null);
  const body = json as Record<string, unknown>;
  const model = body["model"];
  if (typeof model !== "string" || model === "") return invalid("'model' must be a non-empty string.", "model");
  const parsed = parseInputs(body["input"]);
  if (parsed instanceof ProxyError) return parsed;
  const format = body["encoding_format"] ?? "float";
  if (format !== "float" && format !== "base64") return invalid("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
  const dimensions = body["dimensions"] ?? null;
  if (dimensions !== null && !(Number.isInteger(dimensions) && (dimensions as number) > 0)) {
    return invalid("'dimensions' must be a positive integer.", "dimensions");
  }
  const user = body["user"];
  if (user !== undefined && user !== null && typeof user !== "string") return invalid("'user' must be a string.", "user");
  return { inputs: parsed.inputs, encoding: format, dimensions: dimensions as number | null, hasTokenInputs: parsed.tokens };
}

/** Parses the body once; fills model and the embeddings request on the context. */
export function parseEmbeddingsBody(ctx: RequestContext): ProxyError | null {
  const parsed = parseContextBody(ctx);
  if (parsed instanceof ProxyError) return parsed;
  const json = parsed.json;
  const checked = checkEmbeddingsBody(json);
  if (checked instanceof ProxyError) return checked;
  ctx.json = json as Record<string, unknown>;
  ctx.model = ctx.json["model"] as string;
  ctx.embeddings = checked;
  return null;
}

/** After routing: the target's provider must embed this model, and take token ids when they were sent. */
export function requireEmbeddings(ctx: RequestContext): ProxyError | null {
  const target = ctx.target;
  const request = ctx.embeddings;
  if (target === null || request === null) return proxyError("internal_error");
  const capability = target.prepared.adapter.embeddings;
  if (capability === undefined || capability.batchLimit(target.upstreamModel) < 1) {
    return new ProxyError("embeddings_not_supported", `The model '${ctx.model}' is served by provider '${target.provider}', which cannot create embeddings for it.`, "model");
  }
  if (request.hasTokenInputs && !capability.tokenInputs) {
    return invalid(`Provider '${target.provider}' embeds text only; token-id input is not supported.`, "input");
  }
  return null;
}
