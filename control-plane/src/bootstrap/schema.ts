import { z } from "zod";
import { BUDGET_SCOPES, budgetIdSchema, projectPutSchema, userPutSchema } from "../http/governance-schemas";
import {
  budgetFieldsSchema, deploymentPutSchema, idSchema, keyCreateSchema, MAX_ROTATION_GRACE_SECONDS, modelNameSchema, routePutSchema, teamPutSchema,
} from "../http/schemas";

/**
 * The declarative bootstrap file (`SIDEGATE_BOOTSTRAP_FILE`, JSON or YAML): the same fields as the admin
 * API bodies, plus an `id` on each entry and secret *references* instead of secret values.
 */

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, { error: "must be an environment variable name" });
const filePath = z.string().min(1).max(4096);
const SHA256_REF = /^sha256:[0-9a-f]{64}$/;

/** Exactly one way to give a key's secret: an env var, a file, or its SHA-256 (the secret never enters the file). */
const keySecretRef = {
  secret_env: envName.optional(),
  secret_file: filePath.optional(),
  hash: z.string().regex(SHA256_REF, { error: "must be sha256:<64 lowercase hex digits> (SHA-256 of the secret)" }).optional(),
  /** Masked form to show for a pre-hashed key (default `sk-…(hashed)`). */
  display: z.string().max(64).optional(),
  /** When the secret changes, the previous one keeps working this long (default 86400). */
  rotation_grace_seconds: z.int().min(0).max(MAX_ROTATION_GRACE_SECONDS).optional(),
};

const { secret: _secret, id: _id, ...keyFields } = keyCreateSchema.shape;
export const bootstrapKeySchema = z
  .strictObject({ id: idSchema, ...keyFields, ...keySecretRef })
  .refine((k) => [k.secret_env, k.secret_file, k.hash].filter((x) => x !== undefined).length === 1, {
    error: "give exactly one of secret_env, secret_file or hash",
  });

const secretRefs = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.string());
export const bootstrapProviderSchema = z
  .strictObject({
    id: idSchema,
    provider: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/),
    /** Secret field → environment variable holding it, e.g. {"api_key": "OPENAI_API_KEY"}. */
    secrets_env: secretRefs.optional(),
    /** Secret field → file holding it. */
    secrets_file: secretRefs.optional(),
  })
  .refine((p) => Object.keys({ ...p.secrets_env, ...p.secrets_file }).length > 0, { error: "give secrets_env and/or secrets_file" });

export const bootstrapBudgetSchema = budgetFieldsSchema.extend({ scope: z.enum(BUDGET_SCOPES), owner: idSchema, id: budgetIdSchema });

const unique = <T>(items: readonly T[], key: (t: T) => string, ctx: z.RefinementCtx, path: string): void => {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: "custom", path: [path, i], message: `duplicate ${k}` });
    seen.add(k);
  });
};

export const bootstrapFileSchema = z
  .strictObject({
    teams: z.array(teamPutSchema.extend({ id: idSchema })).default([]),
    users: z.array(userPutSchema.extend({ id: idSchema })).default([]),
    projects: z.array(projectPutSchema.extend({ id: idSchema })).default([]),
    providers: z.array(bootstrapProviderSchema).default([]),
    deployments: z.array(deploymentPutSchema.extend({ id: idSchema })).default([]),
    routes: z.array(routePutSchema.extend({ model: modelNameSchema })).default([]),
    keys: z.array(bootstrapKeySchema).default([]),
    budgets: z.array(bootstrapBudgetSchema).default([]),
  })
  .superRefine((f, ctx) => {
    unique(f.teams, (t) => t.id, ctx, "teams");
    unique(f.users, (u) => u.id, ctx, "users");
    unique(f.projects, (p) => p.id, ctx, "projects");
    unique(f.providers, (p) => p.id, ctx, "providers");
    unique(f.deployments, (d) => d.id, ctx, "deployments");
    unique(f.routes, (r) => r.model, ctx, "routes");
    unique(f.keys, (k) => k.id, ctx, "keys");
    unique(f.budgets, (b) => `${b.scope}/${b.owner}/${b.id}`, ctx, "budgets");
  });

export type BootstrapFile = z.output<typeof bootstrapFileSchema>;
export type BootstrapKey = z.output<typeof bootstrapKeySchema>;

/** A key ready to apply: its secret reference resolved to a hash (and the secret itself when known, for the mask). */
export interface ResolvedKey {
  readonly spec: Omit<BootstrapKey, "secret_env" | "secret_file" | "hash">;
  readonly hash: Buffer;
  readonly display: string;
}

export interface ResolvedProvider {
  readonly id: string;
  readonly provider: string;
  readonly secrets: Readonly<Record<string, string>>;
}

/** The validated file with every secret reference resolved; built once at start-up by config/bootstrap-file.ts. */
export interface BootstrapPlan {
  readonly source: string;
  readonly file: Omit<BootstrapFile, "keys" | "providers">;
  readonly keys: readonly ResolvedKey[];
  readonly providers: readonly ResolvedProvider[];
}

