import { proxyError, type ProxyError } from "../../errors/proxy-error";
import { hashSecret } from "../../policy/snapshot";
import type { PolicyStore } from "../../policy/store";
import type { RequestContext } from "../context";
import type { Stage } from "../compose";
import type { PreparedTarget } from "../policy-types";
import { KeyDigests } from "./key-digests";

/** Extracts the token of `Authorization: Bearer <token>` (scheme case-insensitive); "" when absent. */
export function bearerToken(header: string): string {
  if (header.length < 8) return "";
  const scheme = header.slice(0, 7);
  if (scheme !== "Bearer " && scheme.toLowerCase() !== "bearer ") return "";
  return header.slice(7).trim();
}

/** Pins the current policy on the context, then looks the hashed key (`x-api-key`, else bearer token) up in it. */
export function authenticate(store: PolicyStore<PreparedTarget>, now: () => number = Date.now, digests = new KeyDigests()): Stage {
  return (ctx: RequestContext): ProxyError | null => {
    const policy = store.current;
    if (policy === null) return proxyError("not_ready");
    ctx.policy = policy;
    const token = ctx.apiKey !== "" ? ctx.apiKey.trim() : bearerToken(ctx.authorization);
    if (token === "") return proxyError("missing_api_key");
    const remembered = digests.get(token);
    const digest = remembered ?? hashSecret(token);
    const key = policy.keys.get(digest);
    if (key === undefined) return proxyError("invalid_api_key");
    if (remembered === undefined) digests.remember(token, digest);
    if (key.expiresAtMs !== 0 && key.expiresAtMs <= now()) return proxyError("key_expired");
    ctx.key = key;
    return null;
  };
}
