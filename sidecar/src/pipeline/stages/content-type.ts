import { proxyError, type ProxyError } from "../../errors/proxy-error";
import type { RequestContext } from "../context";

/** True for `application/json` with optional parameters (`; charset=utf-8`), case-insensitive. */
export function isJsonContentType(value: string): boolean {
  const base = 16; // "application/json".length
  if (value.length < base || value.slice(0, base).toLowerCase() !== "application/json") return false;
  if (value.length === base) return true;
  const next = value.charCodeAt(base);
  return next === 0x3b || next === 0x20 || next === 0x09; // ';' ' ' '\t'
}

/** Content-Type must be JSON when present; an absent Content-Type is tolerated. */
export function checkContentType(ctx: RequestContext): ProxyError | null {
  if (ctx.contentType === "" || isJsonContentType(ctx.contentType)) return null;
  return proxyError("unsupported_media_type");
}
