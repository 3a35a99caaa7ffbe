/**
 * The one JSON body parser of the hot path: rejects invalid UTF-8 (JSON text must be UTF-8; silently
 * replacing bytes would forward something the client never sent) and nesting deeper than MAX_JSON_DEPTH
 * (translation code and serializers recurse), then JSON.parse.
 */
import { isUtf8 } from "node:buffer";
import { ProxyError, proxyError } from "../errors/proxy-error";

export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Deepest bracket nesting outside strings, stopping early past `limit`. */
export function nestingDepth(bytes: Uint8Array, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return max;
}

/** The parsed value, or the client error to answer with. */
export function parseJsonBody(body: Buffer): { readonly json: unknown } | ProxyError {
  if (!isUtf8(body)) return new ProxyError("invalid_json", "The request body is not valid UTF-8.");
  if (nestingDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return new ProxyError("invalid_request", `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  try {
    return { json: JSON.parse(body.toString("utf8")) as unknown };
  } catch {
    return proxyError("invalid_json");
  }
}
