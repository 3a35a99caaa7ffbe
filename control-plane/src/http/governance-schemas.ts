import { z } from "zod";
import { ADMIN_ROLES } from "../domain/admin-types";
import { budgetFieldsSchema, idSchema, isoTime, metadataSchema, modelNameSchema } from "./schemas";

/** Bodies, queries and answers of users, projects, admin tokens, audit, prices and budgets. */

export const userPutSchema = z.strictObject({
  team_id: idSchema,
  email: z.email().max(320).optional(),
  name: z.string().max(200).optional(),
  metadata: metadataSchema.optional(),
});
export const userCreateSchema = userPutSchema.extend({ id: idSchema.optional() });
export const projectPutSchema = z.strictObject({
  team_id: idSchema,
  name: z.string().max(200).optional(),
  metadata: metadataSchema.optional(),
});
export const projectCreateSchema = projectPutSchema.extend({ id: idSchema.optional() });
export const teamListQuerySchema = z.strictObject({ team_id: idSchema.optional() });

export const adminTokenCreateSchema = z
  .strictObject({
    id: idSchema.optional(),
    name: z.string().max(200).optional(),
    role: z.enum(ADMIN_ROLES),
    teams: z.array(idSchema).max(100).optional(),
    expires_at: isoTime.optional(),
  })
  .superRefine((b, ctx) => {
    const teams = b.teams ?? [];
    if (b.role === "team_admin" && teams.length === 0) ctx.addIssue({ code: "custom", path: ["teams"], message: "a team_admin needs at least one team" });
    if (b.role !== "team_admin" && teams.length > 0) ctx.addIssue({ code: "custom", path: ["teams"], message: `only team_admin tokens are scoped to teams` });
  });

export const auditQuerySchema = z.strictObject({
  resource_type: z.string().max(32).optional(),
  resource_id: z.string().max(256).optional(),
  actor_id: z.string().max(64).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  before_id: z.coerce.number().int().min(1).optional().describe("Paging: entries older than this id (use next_before_id)."),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const rate = z.number().nonnegative().max(1_000_000);
export const priceSchema = z.strictObject({
  provider: z.union([z.literal(""), z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/)]).describe('Adapter id; "" = any provider'),
  model: modelNameSchema,
  input_per_mtok: rate,
  output_per_mtok: rate,
  cached_input_per_mtok: rate.optional(),
  cache_write_per_mtok: rate.optional(),
  reasoning_per_mtok: rate.optional(),
});
export const CATALOG_VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const pricesPutSchema = z
  .strictObject({
    version: z.string().regex(CATALOG_VERSION_PATTERN, { error: "must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$" }).optional()
      .describe("Defaults to the current UTC timestamp (YYYY-MM-DDTHH-MM-SSZ)"),
    note: z.string().max(500).optional(),
    prices: z.array(priceSchema).max(10_000),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.prices.forEach((p, i) => {
      const k = `${p.provider}\u0000${p.model}`;
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: ["prices", i], message: `duplicate price for provider "${p.provider}" model ${p.model}` });
      seen.add(k);
    });
  });
export const pricesQuerySchema = z.strictObject({ version: z.string().max(64).optional() });

export const BUDGET_SCOPES = ["team", "key"] as const;
export const budgetScopeSchema = z.enum(BUDGET_SCOPES);
export const budgetIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: "must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$" });
export const budgetPutSchema = budgetFieldsSchema;
export const budgetListQuerySchema = z.strictObject({ team_id: idSchema.optional() });

// ---- answers ----

const stamps = { created_at: isoTime, updated_at: isoTime };
const metadataOut = z.record(z.string(), z.string());
export const userOut = z.object({ id: z.string(), team_id: z.string(), email: z.string(), name: z.string(), metadata: metadataOut, ...stamps });
export const projectOut = z.object({ id: z.string(), team_id: z.string(), name: z.string(), metadata: metadataOut, ...stamps });
export const adminTokenOut = z.object({
  id: z.string(), name: z.string(), role: z.enum(ADMIN_ROLES), teams: z.array(z.string()), display: z.string(),
  status: z.enum(["active", "revoked", "expired"]), created_by: z.string(), created_at: isoTime, revoked_at: isoTime.nullable(),
  expires_at: isoTime.nullable(),
});
export const adminTokenCreatedOut = adminTokenOut.extend({ token: z.string().describe("The secret. Returned only in this answer.") });
export const auditEntryOut = z.object({
  id: z.number(), at: isoTime, actor_id: z.string(), actor_role: z.string(), action: z.string(), resource_type: z.string(),
  resource_id: z.string(), team_id: z.string().nullable(), before: z.unknown(), after: z.unknown(),
});
export const auditListOut = z.object({ data: z.array(auditEntryOut), next_before_id: z.number().nullable() });
export const priceOut = z.object({
  provider: z.string(), model: z.string(), input_per_mtok: z.number(), output_per_mtok: z.number(), cached_input_per_mtok: z.number(),
  cache_write_per_mtok: z.number(), reasoning_per_mtok: z.number(),
});
export const priceCatalogOut = z.object({
  version: z.string(), created_by: z.string(), created_at: isoTime, note: z.string(), live: z.boolean(), prices: z.array(priceOut),
});
export const priceCatalogSummaryOut = priceCatalogOut.omit({ prices: true }).extend({ models: z.number() });
export const budgetOut = z.object({
  scope: z.enum(BUDGET_SCOPES), owner_id: z.string(), team_id: z.string(), id: z.string(), limit_usd: z.number(), period: z.string(),
  hard: z.boolean(), timezone: z.string(),
});
