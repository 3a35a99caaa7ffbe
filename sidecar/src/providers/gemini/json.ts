/** Small pure helpers shared by the Gemini adapter files. */
import { createHash } from "node:crypto";
import { ProxyError } from "../../errors/proxy-error";

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** JSON.parse of UTF-8 bytes that returns undefined instead of throwing. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(asBuffer(bytes).toString("utf8"));
  } catch {
    return undefined;
  }
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Deterministic hex digest (ids must be identical however a stream is split, so no randomness). */
export function digest(...parts: (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

export function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export function invalid(message: string, param: string): ProxyError {
  return new ProxyError("invalid_request", message, param);
}
