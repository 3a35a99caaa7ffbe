/** Small pure helpers shared by the Bedrock adapter files. */
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

/** A non-negative integer count, 0 for anything else. */
export function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** The rejection an adapter throws for a parameter Bedrock cannot honour (400 invalid_request). */
export function invalidParam(param: string, message: string): ProxyError {
  return new ProxyError("invalid_request", message, param);
}
