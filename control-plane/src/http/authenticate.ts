import { ADMIN_TOKEN_PREFIX } from "../domain/admin-tokens";
import type { Actor } from "../domain/admin-types";
import { hashKeySecret } from "../domain/keys";
import { BOOTSTRAP_ACTOR, actorOf } from "../domain/rbac";
import { bearerToken, createTokenMatcher } from "../domain/token-match";
import type { Store } from "../store/types";

/** Who calls a route that needs no token (healthz, metrics): no role beyond reading nothing. */
export const ANONYMOUS_ACTOR: Actor = Object.freeze({ tokenId: "anonymous", role: "viewer", teams: new Set<string>() });

/**
 * Resolves `Authorization: Bearer …` to an actor: the bootstrap token (`SIDEGATE_ADMIN_TOKEN`, compared in
 * constant time) is org_admin; any other token is looked up by its SHA-256 among the stored admin tokens
 * (revoked or expired ones are refused). undefined = unauthenticated.
 */
export function createAdminAuthenticator(bootstrapToken: string, store: Store, now: () => number) {
  const isBootstrap = createTokenMatcher([bootstrapToken]);
  return async (header: string | undefined): Promise<Actor | undefined> => {
    const token = bearerToken(header);
    if (token === undefined) return undefined;
    if (isBootstrap(token)) return BOOTSTRAP_ACTOR;
    if (!token.startsWith(ADMIN_TOKEN_PREFIX)) return undefined;
    const found = await store.findAdminTokenByHash(hashKeySecret(token));
    if (found === undefined || found.revokedAtMs !== null) return undefined;
    if (found.expiresAtMs !== null && found.expiresAtMs <= now()) return undefined;
    return actorOf(found);
  };
}
