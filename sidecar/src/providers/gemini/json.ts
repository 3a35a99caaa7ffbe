/** The shared pure JSON helpers, under the names the Gemini adapter files use, plus a content digest. */
import { createHash } from "node:crypto";
import type { ProxyError } from "../../errors/proxy-error";
import { invalidParam } from "../shared/json-bytes";

export { asBuffer, count, isRecord, parseJsonBytes, parseJsonText, type Json } from "../shared/json-bytes";

/** Deterministic hex digest (ids must be identical however a stream is split, so no randomness). */
export function digest(...parts: (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

/** 400 invalid_request naming `param` (message first, as the Gemini files call it). */
export function invalid(message: string, param: string): ProxyError {
  return invalidParam(param, message);
}
