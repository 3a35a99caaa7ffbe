import { ApiError } from "../../errors/codes";
import { generateId } from "../../domain/ids";
import { generateKeySecret, hashKeySecret, maskKeySecret } from "../../domain/keys";
import { afterCommit } from "../publish";
import { limitsFromBody } from "../inputs";
import { keyJson } from "../presenters";
import { errorOut, keyCreateSchema, keyCreatedOut, keyListQuerySchema, keyOut, listOf } from "../schemas";
import { ok, type RouteDef } from "../types";
import { validate } from "../validate";

export const keyRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/keys", name: "keys.list", auth: true, summary: "List virtual keys (never secrets or hashes)",
    query: keyListQuerySchema, responses: { 200: listOf(keyOut) },
    handler: async (req, ctx) => {
      const q = validate(keyListQuerySchema, req.query, "query");
      const now = ctx.now();
      const keys = await ctx.store.listKeys(q.team_id === undefined ? {} : { teamId: q.team_id });
      return ok({ data: keys.map((k) => keyJson(k, now)) });
    },
  },
  {
    method: "POST", path: "/api/v1/keys", name: "keys.create", auth: true,
    summary: "Create a virtual key; the secret is in this answer only (`secret` imports a pre-generated one)",
    body: keyCreateSchema, responses: { 201: keyCreatedOut, 400: errorOut, 409: errorOut },
    handler: async (req, ctx) => {
      const b = validate(keyCreateSchema, req.body);
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
      return ok({ ...keyJson(m.value, now), key: secret }, 201);
    },
  },
  {
    method: "GET", path: "/api/v1/keys/:id", name: "keys.get", auth: true, summary: "Get a virtual key (never its secret or hash)",
    responses: { 200: keyOut, 404: errorOut },
    handler: async (req, ctx) => {
      const key = await ctx.store.getKey(req.params["id"] ?? "");
      if (!key) throw new ApiError("not_found", "No such key.");
      return ok(keyJson(key, ctx.now()));
    },
  },
  {
    method: "DELETE", path: "/api/v1/keys/:id", name: "keys.revoke", auth: true, summary: "Revoke a virtual key (idempotent)",
    responses: { 200: keyOut, 404: errorOut },
    handler: async (req, ctx) => {
      const now = ctx.now();
      const m = await ctx.store.revokeKey(req.params["id"] ?? "", now);
      if (!m) throw new ApiError("not_found", "No such key.");
      await afterCommit(ctx, m);
      return ok(keyJson(m.value, now));
    },
  },
];
