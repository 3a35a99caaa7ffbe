/** Small pure JSON/byte helpers for the Anthropic adapter files. */
import { ProxyError } from "../../errors/proxy-error";

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** JSON.parse that returns undefined instead of throwing. */
export function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A non-negative integer count, 0 for anything else. */
export function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** The client request cannot be honoured: 400 invalid_request naming the parameter. */
export function invalid(param: string, message: string): ProxyError {
  return new ProxyError("invalid_request", message, param);
}
