/** Tiny JSON/byte helpers shared by translating adapters (pure). */
import { ProxyError } from "../../errors/proxy-error";

export type Json = Record<string, unknown>;

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

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export { isObject as isRecord };

/** JSON.parse that returns undefined instead of throwing. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** UTF-8 text of bytes (no copy for Buffers). */
export function utf8(bytes: Uint8Array): string {
  return asBuffer(bytes).toString("utf8");
}

/** The rejection an adapter throws for a parameter its provider cannot honour (400 invalid_request). */
export function invalidParam(param: string, message: string): ProxyError {
  return new ProxyError("invalid_request", message, param);
}

/** Non-negative integer token count (anything else counts as 0). */
export function tokenCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export { tokenCount as count };

/** One SSE `data:` event for a JSON value. */
export function sseEvent(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export const SSE_DONE = "data: [DONE]\n\n";
