import { z } from "zod";
import { ID_PATTERN } from "../domain/ids";
import { IMPORTED_SECRET_PATTERN } from "../domain/keys";
import { RETRY_ON_PATTERN } from "../domain/route-settings";
import { ROUTE_STRATEGIES } from "../domain/types";
import { USAGE_GROUP_BY } from "../domain/usage-types";
import { isTimeZone } from "../domain/periods";

/** Every admin API body, query and answer, as zod schemas. The OpenAPI document is generated from these. */

export const idSchema = z.string().regex(ID_PATTERN, { error: "must match ^[a-z0-9][a-z0-9._-]{0,62}$" });
export const modelNameSchema = z.string().min(1).max(256).regex(/^[^\s]+$/, { error: "must not contain whitespace" });
export const providerIdSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, { error: "must be a provider adapter id such as \"openai\"" });
export const isoTime = z.iso.datetime({ offset: true });
export const metadataSchema = z
  .record(z.string().min(1).max(128), z.string().max(4096))
  .refine((m) => Object.keys(m).length <= 64, { error: "at most 64 entries" });
const allowedModelsSchema = z.array(modelNameSchema).max(1000);

export const budgetFieldsSchema = z.strictObject({
  limit_usd: z.number().nonnegative(),
  period: z.enum(["day", "week", "month", "lifetime"]),
  hard: z.boolean().optional(),
  timezone: z
    .string()
    .max(64)
    .refine((tz) => tz === "" || isTimeZone(tz), { error: "must be an IANA time zone such as \"Europe/Berlin\"" })
    .optional(),
});
const budgetSchema = budgetFieldsSchema.extend({ id: z.string().min(1).max(64) });
const count = z.int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Rate and concurrency limits of one model; absent or 0 = no limit. */
export const modelLimitsSchema = z.strictObject({
  rpm: count.max(4_294_967_295).optional(),
  tpm: count.optional(),
  max_concurrent: count.max(4_294_967_295).optional(),
});
export type ModelLimitsBody = z.infer<typeof modelLimitsSchema>;
export const limitsSchema = modelLimitsSchema.extend({
  budgets: z.array(budgetSchema).max(16).optional(),
  /** Per public model name, in addition to the limits above. */
  model_limits: z
    .record(modelNameSchema, modelLimitsSchema)
    .refine((m) => Object.keys(m).length <= 256, { error: "at most 256 models" })
    .optional(),
});
export type LimitsBody = z.infer<typeof limitsSchema>;

export const teamPutSchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** A user of this team (create the team, then its users, then set the owner). */
  owner_user_id: idSchema.optional(),
  allowed_models: allowedModelsSchema.optional(),
  limits: limitsSchema.optional(),
  metadata: metadataSchema.optional(),
});
export const teamCreateSchema = teamPutSchema.extend({ id: idSchema.optional() });

export const importedSecretSchema = z.string().regex(IMPORTED_SECRET_PATTERN, { error: "must match ^sk-[A-Za-z0-9_-]{20,200}$" });
export const keyCreateSchema = z.strictObject({
  id: idSchema.optional(),
  team_id: idSchema,
  name: z.string().max(200).optional(),
  /** A user of the key's team (see /api/v1/users). */
  user_id: idSchema.optional(),
  /** A project of the key's team (see /api/v1/projects). */
  project_id: idSchema.optional(),
  allowed_models: allowedModelsSchema.optional(),
  limits: limitsSchema.optional(),
  expires_at: isoTime.optional(),
  metadata: metadataSchema.optional(),
  secret: importedSecretSchema.optional(),
});
export const keyListQuerySchema = z.strictObject({ team_id: idSchema.optional() });

/** Default grace period of a rotation: the old secret keeps working this long. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 86_400;
export const MAX_ROTATION_GRACE_SECONDS = 30 * 86_400;
export const keyRotateSchema = z.strictObject({
  grace_seconds: z.int().min(0).max(MAX_ROTATION_GRACE_SECONDS).optional()
    .describe(`How long the old secret keeps working (default ${DEFAULT_ROTATION_GRACE_SECONDS} = 24 h; 0 = stops at once).`),
  secret: importedSecretSchema.optional(),
});

export const credentialPutSchema = z.strictObject({
  provider: providerIdSchema,
  secrets: z
    .record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.string().min(1).max(16_384))
    .refine((s) => Object.keys(s).length >= 1 && Object.keys(s).length <= 16, { error: "1 to 16 secret fields" }),
});
export const credentialCreateSchema = credentialPutSchema.extend({ id: idSchema.optional() });

export const deploymentPutSchema = z.strictObject({
  provider: providerIdSchema,
  /** Empty or absent = the adapter's default endpoint (e.g. the vendor's public API). */
  base_url: z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2048)]).optional(),
  upstream_model: z.string().max(256).optional(),
  credential_id: idSchema.optional(),
  region: z.string().max(64).optional(),
  options: metadataSchema.optional(),
  timeout_ms: z.int().min(1).max(3_600_000).optional(),
  /** Upstream models clients may address as `<provider>/<model>` without a route; "*" = any model. */
  direct_models: z
    .array(z.union([z.literal("*"), modelNameSchema]))
    .max(1000)
    .refine((list) => new Set(list).size === list.length, { error: "entries must be unique" })
    .optional(),
});
export const deploymentCreateSchema = deploymentPutSchema.extend({ id: idSchema.optional() });

const msSetting = z.int().min(0).max(3_600_000);
const retrySchema = z.strictObject({
  max_attempts: z.int().min(1).max(10).optional().describe("Attempts in total, the first included (1 = no retry or fallback)."),
  retry_on: z
    .array(z.string().regex(RETRY_ON_PATTERN, { error: 'must be "connect", "timeout", "5xx" or a 4xx/5xx status code' }))
    .max(32)
    .optional()
    .describe('Default ["connect", "timeout", "429", "5xx"].'),
  backoff_base_ms: msSetting.optional(),
  backoff_max_ms: msSetting.optional(),
  max_retry_after_ms: msSetting.optional(),
});
const timeoutsSchema = z.strictObject({
  connect_ms: msSetting.optional(),
  first_token_ms: msSetting.optional(),
  idle_ms: msSetting.optional(),
  total_ms: msSetting.optional(),
});

export const routePutSchema = z.strictObject({
  strategy: z.enum(ROUTE_STRATEGIES).optional(),
  retry: retrySchema.optional(),
  timeouts: timeoutsSchema.optional(),
  targets: z
    .array(
      z.strictObject({
        deployment_id: idSchema,
        weight: z.int().min(0).max(1_000_000).optional(),
        priority: z.int().min(0).max(1_000_000).optional(),
      }),
    )
    .min(1)
    .max(64),
});

const usageFilterFields = {
  key_id: idSchema.optional(),
  team_id: idSchema.optional(),
  user_id: idSchema.optional(),
  project_id: idSchema.optional(),
  model: modelNameSchema.optional(),
  provider: providerIdSchema.optional(),
  status: z.coerce.number().int().min(100).max(599).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
};
export const usageQuerySchema = z.strictObject({ group_by: z.enum(USAGE_GROUP_BY).optional(), ...usageFilterFields });
export const usageRecordsQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional(), ...usageFilterFields });

// ---- answers ----

const modelLimitsOut = z.object({ rpm: z.number(), tpm: z.number(), max_concurrent: z.number() });
export const globalLimitOut = modelLimitsOut.extend({ model: z.string(), created_at: isoTime, updated_at: isoTime });
export const limitsOut = modelLimitsOut.extend({
  model_limits: z.record(z.string(), modelLimitsOut),
  budgets: z.array(z.object({ id: z.string(), limit_usd: z.number(), period: z.string(), hard: z.boolean(), timezone: z.string() })),
});
const stamps = { created_at: isoTime, updated_at: isoTime };
export const teamOut = z.object({
  id: z.string(), name: z.string(), owner_user_id: z.string().nullable(), allowed_models: z.array(z.string()), limits: limitsOut, metadata: z.record(z.string(), z.string()), ...stamps,
});
export const keyOut = z.object({
  id: z.string(), team_id: z.string(), name: z.string(), user_id: z.string(), project_id: z.string(),
  display: z.string(), status: z.enum(["active", "revoked", "expired"]), allowed_models: z.array(z.string()), limits: limitsOut,
  metadata: z.record(z.string(), z.string()), created_at: isoTime, revoked_at: isoTime.nullable(), expires_at: isoTime.nullable(),
  previous_secrets_expire_at: z.array(isoTime).describe("Grace-period ends of secrets replaced by a rotation that still authenticate."),
});
export const keyCreatedOut = keyOut.extend({ key: z.string().describe("The secret. Returned only in this answer.") });
export const credentialOut = z.object({ id: z.string(), provider: z.string(), secret_fields: z.array(z.string()), ...stamps });
export const deploymentOut = z.object({
  id: z.string(), provider: z.string(), base_url: z.string(), upstream_model: z.string(), credential_id: z.string().nullable(),
  region: z.string(), options: z.record(z.string(), z.string()), timeout_ms: z.number(), direct_models: z.array(z.string()), ...stamps,
});
export const routeOut = z.object({
  model: z.string(), strategy: z.enum(ROUTE_STRATEGIES),
  retry: z.object({
    max_attempts: z.number(), retry_on: z.array(z.string()), backoff_base_ms: z.number(), backoff_max_ms: z.number(), max_retry_after_ms: z.number(),
  }).describe("0 / empty = the sidecar default."),
  timeouts: z.object({ connect_ms: z.number(), first_token_ms: z.number(), idle_ms: z.number(), total_ms: z.number() }).describe("0 = the sidecar default."),
  targets: z.array(z.object({ deployment_id: z.string(), weight: z.number(), priority: z.number() })), ...stamps,
});
export const usageRowOut = z.object({
  group: z.string(), requests: z.number(), prompt_tokens: z.number(), completion_tokens: z.number(), cost_usd: z.number(),
});
export const usageRecordOut = z.object({
  request_id: z.string(), key_id: z.string(), team_id: z.string(), user_id: z.string(), project_id: z.string(), model: z.string(),
  provider: z.string(), deployment_id: z.string(), upstream_model: z.string(), status: z.number(), error_code: z.string(),
  prompt_tokens: z.number(), completion_tokens: z.number(), cached_tokens: z.number(), cache_write_tokens: z.number(),
  reasoning_tokens: z.number(), cost_usd: z.number(), latency_ms: z.number(), ttft_ms: z.number(), stream: z.boolean(),
  started_at: isoTime, attempts: z.number(), endpoint: z.string(), tags: z.record(z.string(), z.string()),
  sidecar_id: z.string(), received_at: isoTime,
});
export const errorOut = z.object({
  error: z.object({
    code: z.string(), type: z.string(), message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export const leasesOut = z.object({
  settled: z.boolean(),
  data: z.array(z.object({
    limit_key: z.string(), outstanding: z.number(),
    holders: z.array(z.object({ sidecar_id: z.string(), held: z.number(), wanted: z.number() })),
  })),
});
export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });
export const healthOut = z.object({ status: z.literal("ok") });
