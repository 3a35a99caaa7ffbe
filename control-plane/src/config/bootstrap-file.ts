import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { bootstrapFileSchema, type BootstrapPlan, type ResolvedKey, type ResolvedProvider } from "../bootstrap/schema";
import { hashKeySecret, maskKeySecret } from "../domain/keys";
import { importedSecretSchema } from "../http/schemas";

const NAME = "SIDEGATE_BOOTSTRAP_FILE";

/** Invalid bootstrap file: one readable line per problem, `SIDEGATE_BOOTSTRAP_FILE: <path>: <field path>: <message>`. */
export class BootstrapFileError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`invalid bootstrap file:\n  ${issues.join("\n  ")}`);
    this.name = "BootstrapFileError";
    this.issues = issues;
  }
}

const zodIssues = (path: string, error: z.ZodError): string[] =>
  error.issues.map((i) => {
    const where = i.path.map(String).join(".");
    const detail = i.code === "unrecognized_keys" ? `unknown field ${i.keys.join(", ")}` : i.message;
    return `${NAME}: ${path}: ${where === "" ? "(root)" : where}: ${detail}`;
  });

function parseText(path: string, text: string): unknown {
  const yaml = /\.ya?ml$/i.test(path);
  try {
    return yaml ? (parseYaml(text, { maxAliasCount: 100 }) as unknown) : (JSON.parse(text) as unknown);
  } catch (err) {
    const what = yaml ? "YAML" : "JSON";
    throw new BootstrapFileError([`${NAME}: ${path}: not valid ${what} (${err instanceof Error ? err.message.split("\n")[0] : "parse error"})`]);
  }
}

/**
 * Reads, validates and resolves the bootstrap file: `.yaml`/`.yml` is parsed as YAML, anything else as JSON.
 * Secret references are read from `env` and from files here, once; a missing one is an error that names the
 * field and the variable or path, never a value.
 */
export function loadBootstrapFile(path: string, env: Readonly<Record<string, string | undefined>>): BootstrapPlan {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new BootstrapFileError([`${NAME}: cannot read ${JSON.stringify(path)} (${(err as NodeJS.ErrnoException).code ?? "error"})`]);
  }
  const parsed = bootstrapFileSchema.safeParse(parseText(path, text) ?? {});
  if (!parsed.success) throw new BootstrapFileError(zodIssues(path, parsed.error));
  const { keys, providers, ...file } = parsed.data;
  const issues: string[] = [];
  const read = (field: string, ref: { env?: string | undefined; file?: string | undefined }): string | undefined => {
    if (ref.env !== undefined) {
      const v = env[ref.env];
      if (v === undefined || v === "") issues.push(`${NAME}: ${path}: ${field}: environment variable ${ref.env} is not set`);
      return v;
    }
    if (ref.file === undefined) return undefined;
    try {
      return readFileSync(ref.file, "utf8").trim();
    } catch (err) {
      issues.push(`${NAME}: ${path}: ${field}: cannot read ${JSON.stringify(ref.file)} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
      return undefined;
    }
  };
  const resolvedKeys: ResolvedKey[] = [];
  keys.forEach((k, i) => {
    const { secret_env, secret_file, hash, display, ...spec } = k;
    if (hash !== undefined) {
      resolvedKeys.push({ spec, hash: Buffer.from(hash.slice("sha256:".length), "hex"), display: display ?? "sk-…(hashed)" });
      return;
    }
    const field = `keys.${i}.${secret_env !== undefined ? "secret_env" : "secret_file"}`;
    const secret = read(field, { env: secret_env, file: secret_file });
    if (secret === undefined) return;
    if (!importedSecretSchema.safeParse(secret).success) {
      issues.push(`${NAME}: ${path}: ${field}: the secret must match ^sk-[A-Za-z0-9_-]{20,200}$`);
      return;
    }
    resolvedKeys.push({ spec, hash: hashKeySecret(secret), display: display ?? maskKeySecret(secret) });
  });
  const resolvedProviders: ResolvedProvider[] = providers.map((p, i) => {
    const secrets: Record<string, string> = {};
    for (const [field, name] of Object.entries(p.secrets_env ?? {})) {
      const v = read(`providers.${i}.secrets_env.${field}`, { env: name });
      if (v !== undefined) secrets[field] = v;
    }
    for (const [field, file] of Object.entries(p.secrets_file ?? {})) {
      const v = read(`providers.${i}.secrets_file.${field}`, { file });
      if (v !== undefined) secrets[field] = v;
    }
    return { id: p.id, provider: p.provider, secrets };
  });
  if (issues.length > 0) throw new BootstrapFileError(issues);
  return { source: path, file, keys: resolvedKeys, providers: resolvedProviders };
}
