import { ApiError } from "../../errors/codes";
import { generateId } from "../../domain/ids";
import { sealCredentialSecrets } from "../../secrets/credential-secrets";
import type { CredentialInput } from "../../store/types";
import { afterCommit } from "../publish";
import { credentialJson } from "../presenters";
import { credentialCreateSchema, credentialOut, credentialPutSchema, errorOut, idSchema, listOf } from "../schemas";
import { changed, deleted, ok, upserted, type AdminContext, type RouteDef } from "../types";
import { validate, validateParam } from "../validate";

/** Secrets are encrypted here, before the store sees them, and never returned. */
function credentialInput(ctx: AdminContext, id: string, provider: string, secrets: Record<string, string>): CredentialInput {
  return { id, provider, secretFields: Object.keys(secrets).sort(), sealed: sealCredentialSecrets(ctx.masterKey, id, secrets) };
}

export const providerRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/providers", name: "providers.list", auth: true, access: "read", summary: "List provider credentials (names of secret fields only)",
    responses: { 200: listOf(credentialOut) },
    handler: async (_req, ctx) => ok({ data: (await ctx.store.listCredentials()).map(credentialJson) }),
  },
  {
    method: "POST", path: "/api/v1/providers", name: "providers.create", auth: true, access: "org", audit: { resource: "provider", action: "create" }, summary: "Store a provider credential (encrypted at rest)",
    body: credentialCreateSchema, responses: { 201: credentialOut, 409: errorOut },
    handler: async (req, ctx) => {
      const b = validate(credentialCreateSchema, req.body);
      const input = credentialInput(ctx, b.id ?? generateId("cred"), b.provider, b.secrets);
      const m = await ctx.store.createCredential(input, ctx.now());
      const after = credentialJson(await afterCommit(ctx, m.value));
      return changed(after, 201, { resourceId: m.value.id, teamId: "", before: null, after });
    },
  },
  {
    method: "GET", path: "/api/v1/providers/:id", name: "providers.get", auth: true, access: "read", summary: "Get a provider credential (no secret values)",
    responses: { 200: credentialOut, 404: errorOut },
    handler: async (req, ctx) => {
      const c = await ctx.store.getCredential(req.params["id"] ?? "");
      if (!c) throw new ApiError("not_found", "No such provider credential.");
      return ok(credentialJson(c));
    },
  },
  {
    method: "PUT", path: "/api/v1/providers/:id", name: "providers.put", auth: true, access: "org", audit: { resource: "provider", action: "update" }, summary: "Create or replace a provider credential",
    body: credentialPutSchema, responses: { 200: credentialOut, 201: credentialOut },
    handler: async (req, ctx) => {
      const id = validateParam(idSchema, req.params["id"], "id");
      const b = validate(credentialPutSchema, req.body);
      const previous = await ctx.store.getCredential(id);
      const m = await ctx.store.putCredential(credentialInput(ctx, id, b.provider, b.secrets), ctx.now());
      const after = credentialJson(await afterCommit(ctx, m.value));
      return upserted(after, m.created, id, "", previous ? credentialJson(previous) : null);
    },
  },
  {
    method: "DELETE", path: "/api/v1/providers/:id", name: "providers.delete", auth: true, access: "org", audit: { resource: "provider", action: "delete" }, summary: "Delete a provider credential",
    responses: { 200: credentialOut, 404: errorOut },
    handler: async (req, ctx) => {
      const m = await ctx.store.deleteCredential(req.params["id"] ?? "", ctx.now());
      if (!m) throw new ApiError("not_found", "No such provider credential.");
      const before = credentialJson(await afterCommit(ctx, m.value));
      return deleted(before, m.value.id, "");
    },
  },
];
