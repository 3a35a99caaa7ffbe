import { createHash } from "node:crypto";
import { parseDirectives } from "./directives";
import { invalidRequest } from "./errors";
import type { Parsed } from "./chat-request";
import { textTokens } from "./usage";

export const DEFAULT_DIMENSIONS = 8;
const MAX_DIMENSIONS = 4096;

export interface EmbeddingsRequest {
  model: string;
  /** One entry per input item: a string, or a token array (hashed as its JSON text). */
  inputs: Array<string | number[]>;
  dimensions: number;
  encoding: "float" | "base64";
}

export interface EmbeddingsBody {
  object: "list";
  model: string;
  data: Array<{ object: "embedding"; index: number; embedding: number[] | string }>;
  usage: { prompt_tokens: number; total_tokens: number };
}

function isTokenArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x));
}

export function parseEmbeddingsRequest(body: unknown): Parsed<EmbeddingsRequest> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, error: invalidRequest("Request body must be a JSON object.") };
  }
  const b = body as Record<string, unknown>;
  if (typeof b.model !== "string" || b.model.length === 0) {
    return { ok: false, error: invalidRequest("Missing required parameter: 'model'.", "model", "missing_required_parameter") };
  }
  let inputs: Array<string | number[]>;
  const input = b.input;
  if (typeof input === "string") inputs = [input];
  else if (isTokenArray(input)) inputs = [input];
  else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === "string" || isTokenArray(x))) {
    inputs = input as Array<string | number[]>;
  } else {
    return { ok: false, error: invalidRequest("'input' must be a string, an array of strings or token arrays.", "input") };
  }
  const dims = b.dimensions ?? DEFAULT_DIMENSIONS;
  if (!Number.isInteger(dims) || (dims as number) < 1 || (dims as number) > MAX_DIMENSIONS) {
    return { ok: false, error: invalidRequest(`'dimensions' must be an integer between 1 and ${MAX_DIMENSIONS}.`, "dimensions") };
  }
  const enc = b.encoding_format ?? "float";
  if (enc !== "float" && enc !== "base64") {
    return { ok: false, error: invalidRequest("'encoding_format' must be 'float' or 'base64'.", "encoding_format") };
  }
  return { ok: true, value: { model: b.model, inputs, dimensions: dims as number, encoding: enc } };
}

/** Unit-length vector derived from SHA-256 of the text; every value is exactly representable as float32. */
export function deterministicVector(text: string, dimensions: number): Float32Array {
  const digest = createHash("sha256").update(text, "utf8").digest();
  let state = digest.readUInt32LE(0) ^ digest.readUInt32LE(4);
  const raw = new Float64Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const v = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
    raw[i] = v;
    norm += v * v;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) out[i] = (raw[i] as number) * scale;
  return out;
}

/** base64 of the little-endian float32 bytes (OpenAI's `encoding_format: "base64"`). */
export function float32ToBase64(v: Float32Array): string {
  const buf = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i] as number, i * 4);
  return buf.toString("base64");
}

export function base64ToFloat32(b64: string): number[] {
  const buf = Buffer.from(b64, "base64");
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}

/**
 * `texts` are the inputs with directives stripped (what the vector is derived from); usage counts the
 * inputs as sent: ceil(utf8 bytes / 4) per string, the length of a token array.
 */
export function embeddingsResponse(req: EmbeddingsRequest, texts: readonly string[]): EmbeddingsBody {
  let tokens = 0;
  for (const input of req.inputs) tokens += typeof input === "string" ? textTokens(input) : input.length;
  return {
    object: "list",
    model: req.model,
    data: texts.map((text, index) => {
      const v = deterministicVector(text, req.dimensions);
      return { object: "embedding", index, embedding: req.encoding === "base64" ? float32ToBase64(v) : Array.from(v) };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

/** What a vendor mock does for a list of texts: vectors from the directive-stripped texts, or an injected error. */
export interface VendorEmbedPlan {
  /** The texts with `[mock:…]` directives removed (what each vector derives from). */
  texts: string[];
  error?: { status: number; retryAfter?: string };
  latencyMs: number;
  invalid: string[];
  /** Usage as the OpenAI mock counts it: ceil(utf8 bytes / 4) per text as sent. */
  tokens: number;
}

export function planVendorEmbeddings(inputs: readonly string[]): VendorEmbedPlan {
  const plan: VendorEmbedPlan = { texts: [], latencyMs: 0, invalid: [], tokens: 0 };
  for (const input of inputs) {
    const p = parseDirectives(input);
    plan.texts.push(p.text);
    plan.invalid.push(...p.invalid);
    plan.tokens += textTokens(input);
    if (p.directives.error !== undefined) plan.error ??= p.directives.error;
    plan.latencyMs = Math.max(plan.latencyMs, p.directives.latencyMs ?? 0);
  }
  return plan;
}

/** The deterministic vector of a text as plain numbers (each exactly a float32 value). */
export function vectorValues(text: string, dimensions: number): number[] {
  return Array.from(deterministicVector(text, dimensions));
}
