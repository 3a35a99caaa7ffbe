/** Pure helpers for translating embeddings adapters: vector encodings, input narrowing, token estimates. */
import { ProxyError } from "../../errors/proxy-error";
import type { EmbeddingInput, EmbeddingVector } from "../types";
import { isObject } from "./json-bytes";

/** base64 of the little-endian float32 bytes of `values` (OpenAI's `encoding_format: "base64"`). */
export function float32Base64(values: readonly number[]): string {
  const buf = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeFloatLE(values[i] as number, i * 4);
  return buf.toString("base64");
}

/** The float32 values of a base64 little-endian float32 vector, or null when the length is not a multiple of 4. */
export function base64Float32(b64: string): number[] | null {
  const buf = Buffer.from(b64, "base64");
  if (buf.length % 4 !== 0) return null;
  const out = new Array<number>(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** A JSON value as a vector of finite numbers, or null. */
export function numberVector(value: unknown): number[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  for (const v of value) if (typeof v !== "number" || !Number.isFinite(v)) return null;
  return value as number[];
}

/** A JSON value as a vector: numbers, or a non-empty base64 string; null otherwise. */
export function anyVector(value: unknown): EmbeddingVector | null {
  if (typeof value === "string") return value.length > 0 ? value : null;
  return numberVector(value);
}

/**
 * The inputs as texts, for providers that take text only. The pipeline rejects token-id inputs for such
 * providers before building a request (`tokenInputs: false`); this is the adapter's own guard.
 */
export function textsOf(inputs: readonly EmbeddingInput[]): string[] {
  return inputs.map((input) => {
    if (typeof input !== "string") throw new ProxyError("invalid_request", "This provider embeds text only; token-id input is not supported.", "input");
    return input;
  });
}

/**
 * Token estimate for providers that report none: ceil(UTF-8 bytes / 4) per text (the common 4-bytes-per-token
 * rule of thumb), the length of a token-id array. Documented in the README.
 */
export function estimateTokens(inputs: readonly EmbeddingInput[]): number {
  let total = 0;
  for (const input of inputs) total += typeof input === "string" ? Math.ceil(Buffer.byteLength(input, "utf8") / 4) : input.length;
  return total;
}

/** A string extension field of the client body (e.g. Cohere `input_type`), or the deployment default. */
export function stringField(json: Readonly<Record<string, unknown>>, name: string, fallback: string | null): string | null {
  const value = json[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "string" || value === "") throw new ProxyError("invalid_request", `'${name}' must be a non-empty string.`, name);
  return value;
}

export { isObject };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A vector in the client's encoding: a JSON number array text, or a base64 string; null when malformed. */
export function encodeVector(vector: EmbeddingVector, encoding: "float" | "base64"): string | null {
  if (typeof vector === "string") {
    if (!BASE64.test(vector) || vector.length % 4 !== 0) return null;
    if (encoding === "base64") return `"${vector}"`;
    const floats = base64Float32(vector);
    return floats === null ? null : JSON.stringify(floats);
  }
  return encoding === "base64" ? `"${float32Base64(vector)}"` : JSON.stringify(vector);
}
