import { ApiError } from "../../errors/codes";
import { generateAdminToken, maskAdminToken } from "../../domain/admin-tokens";
import { generateId } from "../../domain/ids";
import { hashKeySecret } from "../../domain/keys";
import { adminTokenJson } from "../governance-presenters";
import { adminTokenCreateSchema, adminTokenCreatedOut, adminTokenOut } from "../governance-schemas";
import { errorOut, listOf } from "../schemas";
import { changed, ok, type RouteDef } from "../types";
import { validate } from "../validate";

/** Admin tokens: org admins only. Stored as SHA-256; the secret is in the create answer only. */
export const adminTokenRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/admin-tokens", name: "admin_tokens.list", auth: true, access: "org",
    summary: "List admin tokens (never secrets or hashes)", responses: { 200: listOf(adminTokenOut) },
    handler: async (_req, ctx) => {
      const now = ctx.now();
      return ok({ data: (await ctx.store.listAdminTokens()).map((t) => adminTokenJson(t, now)) });
    },
  },
  {
    method: "POST", path: "/api/v1/admin-tokens", name: "admin_tokens.create", auth: true, access: "org",
    audit: { resource: "admin_token", action: "create" },
    summary: "Create an admin token (`org_admin`, `team_admin` with `teams`, or `viewer`); the secret is in this answer only",
    body: adminTokenCreateSchema, responses: { 201: adminTokenCreatedOut, 400: errorOut, 409: errorOut },
    handler: async (req, ctx) => {
      const b = validate(adminTokenCreateSchema, req.body);
      const secret = generateAdminToken();
      const now = ctx.now();
      const token = await ctx.store.createAdminToken(
        {
          id: b.id ?? generateId("adm"), name: b.name ?? "", role: b.role, teams: b.teams ?? [], hash: hashKeySecret(secret),
          display: maskAdminToken(secret), createdBy: req.actor.tokenId, expiresAtMs: b.expires_at === undefined ? null : Date.parse(b.expires_at),
        },
        now,
      );
      const after = adminTokenJson(token, now);
      return changed({ ...after, token: secret }, 201, { resourceId: token.id, teamId: "", before: null, after });
    },
  },
  {
    method: "GET", path: "/api/v1/admin-tokens/:id", name: "admin_tokens.get", auth: true, access: "org", summary: "Get an admin token",
    responses: { 200: adminTokenOut, 404: errorOut },
    handler: async (req, ctx) => {
      const t = await ctx.store.getAdminToken(req.params["id"] ?? "");
      if (!t) throw new ApiError("not_found", "No such admin token.");
      return ok(adminTokenJson(t, ctx.now()));
    },
  },
  {
    method: "DELETE", path: "/api/v1/admin-tokens/:id", name: "admin_tokens.revoke", auth: true, access: "org",
    audit: { resource: "admin_token", action: "revoke" },
    summary: "Revoke an admin token (idempotent; refused at once)", responses: { 200: adminTokenOut, 404: errorOut },
    handler: async (req, ctx) => {
      const now = ctx.now();
      const before = await ctx.store.getAdminToken(req.params["id"] ?? "");
      if (!before) throw new ApiError("not_found", "No such admin token.");
      const t = await ctx.store.revokeAdminToken(before.id, now);
      if (!t) throw new ApiError("not_found", "No such admin token.");
      const after = adminTokenJson(t, now);
      return changed(after, 200, { resourceId: t.id, teamId: "", before: adminTokenJson(before, now), after });
    },
  },
];
