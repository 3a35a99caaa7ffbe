import { ApiError } from "../../errors/codes";
import { generateId } from "../../domain/ids";
import { generateKeySecret, hashKeySecret, maskKeySecret } from "../../domain/keys";
import type { VirtualKey } from "../../domain/types";
import { afterCommit } from "../publish";
import { limitsFromBody } from "../inputs";
import { keyJson } from "../presenters";
import {
  DEFAULT_ROTATION_GRACE_SECONDS, errorOut, keyCreateSchema, keyCreatedOut, keyListQuerySchema, keyOut, keyRotateSchema, listOf,
} from "../schemas";
import { requireTeam, visible } from "../scope";
import { changed, ok, type AdminContext, type AdminRequest, type RouteDef } from "../types";
import { validate } from "../validate";

/** The key named by the path, 404 when unknown, 403 when outside the caller's teams. */
async function scopedKey(req: AdminRequest, ctx: AdminContext): Promise<VirtualKey> {
  const key = await ctx.store.getKey(req.params["id"] ?? "");
  if (!key) throw new ApiError("not_found", "No such key.");
  requireTeam(req, key.teamId);
  return key;
}

export const keyRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/keys", name: "keys.list", auth: true, access: "read", summary: "List virtual keys (never secrets or hashes)",
    query: keyListQuerySchema, responses: { 200: listOf(keyOut) },
    handler: async (req, ctx) => {
      const q = validate(keyListQuerySchema, req.query, "query");
      if (q.team_id !== undefined) requireTeam(req, q.team_id);
      const now = ctx.now();
      const keys = await ctx.store.listKeys(q.team_id === undefined ? {} : { teamId: q.team_id });
      return ok({ data: visible(req, keys).map((k) => keyJson(k, now)) });
    },
  },
  {
    method: "POST", path: "/api/v1/keys", name: "keys.create", auth: true, access: "write", audit: { resource: "key", action: "create" },
    summary: "Create a virtual key; the secret is in this answer only (`secret` imports a pre-generated one)",
    body: keyCreateSchema, responses: { 201: keyCreatedOut, 400: errorOut, 403: errorOut, 409: errorOut },
    handler: async (req, ctx) => {
      const b = validate(keyCreateSchema, req.body);
      requireTeam(req, b.team_id);
      const secret = b.secret ?? generateKeySecret();
      const now = ctx.now();
      const m = await ctx.store.createKey(
        {
          id: b.id ?? generateId("key"),
          teamId: b.team_id,
          name: b.name ?? "",
          userId: b.user_id ?? "",
          projectId: b.project_id ?? "",
          hash: hashKeySecret(secret),
          display: maskKeySecret(secret),
          allowedModels: b.allowed_models ?? [],
          limits: limitsFromBody(b.limits),
          metadata: b.metadata ?? {},
          expiresAtMs: b.expires_at === undefined ? null : Date.parse(b.expires_at),
        },
        now,
      );
      await afterCommit(ctx, m);
      const after = keyJson(m.value, now);
      return changed({ ...after, key: secret }, 201, { resourceId: m.value.id, teamId: m.value.teamId, before: null, after });
    },
  },
  {
    method: "GET", path: "/api/v1/keys/:id", name: "keys.get", auth: true, access: "read", summary: "Get a virtual key (never its secret or hash)",
    responses: { 200: keyOut, 403: errorOut, 404: errorOut },
    handler: async (req, ctx) => ok(keyJson(await scopedKey(req, ctx), ctx.now())),
  },
  {
    method: "POST", path: "/api/v1/keys/:id/rotate", name: "keys.rotate", auth: true, access: "write", audit: { resource: "key", action: "rotate" },
    summary: `Rotate a key: a new secret (in this answer only); the old one keeps working for \`grace_seconds\` (default ${DEFAULT_ROTATION_GRACE_SECONDS})`,
    body: keyRotateSchema, responses: { 200: keyCreatedOut, 403: errorOut, 404: errorOut, 409: errorOut },
    handler: async (req, ctx) => {
      const b = validate(keyRotateSchema, req.body);
      const key = await scopedKey(req, ctx);
      const now = ctx.now();
      const secret = b.secret ?? generateKeySecret();
      const graceMs = (b.grace_seconds ?? DEFAULT_ROTATION_GRACE_SECONDS) * 1000;
      const m = await ctx.store.rotateKey(key.id, { hash: hashKeySecret(secret), display: maskKeySecret(secret), graceUntilMs: now + graceMs }, now);
      if (!m) throw new ApiError("not_found", "No such key.");
      await afterCommit(ctx, m);
      const after = keyJson(m.value, now);
      return changed({ ...after, key: secret }, 200, { resourceId: key.id, teamId: key.teamId, before: keyJson(key, now), after });
    },
  },
  {
    method: "DELETE", path: "/api/v1/keys/:id", name: "keys.revoke", auth: true, access: "write", audit: { resource: "key", action: "revoke" },
    summary: "Revoke a virtual key (idempotent); its rotated-out secrets stop with it",
    responses: { 200: keyOut, 403: errorOut, 404: errorOut },
    handler: async (req, ctx) => {
      const key = await scopedKey(req, ctx);
      const now = ctx.now();
      const m = await ctx.store.revokeKey(key.id, now);
      if (!m) throw new ApiError("not_found", "No such key.");
      await afterCommit(ctx, m);
      const after = keyJson(m.value, now);
      return changed(after, 200, { resourceId: key.id, teamId: key.teamId, before: keyJson(key, now), after });
    },
  },
];
