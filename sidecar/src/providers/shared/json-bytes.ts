/** Tiny JSON/byte helpers shared by translating adapters (pure). */
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

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Non-negative integer token count (anything else counts as 0). */
export function tokenCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** One SSE `data:` event for a JSON value. */
export function sseEvent(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export const SSE_DONE = "data: [DONE]\n\n";
