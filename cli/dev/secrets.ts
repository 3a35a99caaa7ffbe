import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const FILES = {
  masterKey: "master.key",
  adminToken: "admin-token",
  sidecarToken: "sidecar-token",
  demoKey: "demo-key",
} as const;

export const generate = {
  masterKey: (): string => randomBytes(32).toString("base64"),
  adminToken: (): string => "sga_" + randomBytes(32).toString("base64url"),
  sidecarToken: (): string => "sgs_" + randomBytes(32).toString("base64url"),
  /** Same format as the control plane's virtual keys. */
  demoKey: (): string => "sk-sg-" + randomBytes(32).toString("base64url"),
};

export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Read `<dir>/<name>`, or create it (mode 0600) with a generated value. Permissions are tightened if loose. */
export function ensureSecretFile(dir: string, name: string, make: () => string): { value: string; path: string; created: boolean } {
  const path = join(dir, name);
  if (existsSync(path)) {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    const value = readFileSync(path, "utf8").trim();
    if (value.length > 0) return { value, path, created: false };
  }
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { value, path, created: true };
}

export interface DevSecrets {
  adminToken: string;
  /** Where the admin token comes from, for the banner (a file path or an env var name). */
  adminTokenSource: string;
  sidecarToken: string;
  demoKey: string;
  /** Environment entries to overlay for the control plane's and the sidecar's config loaders. */
  cpEnv: Record<string, string>;
  sidecarEnv: Record<string, string>;
}

/** Everything `dev` needs that was not given in the environment is generated once and kept in the data dir. */
export function resolveDevSecrets(dataDir: string, env: NodeJS.ProcessEnv): DevSecrets {
  ensureDataDir(dataDir);
  const cpEnv: Record<string, string> = { SIDEGATE_DATA_DIR: dataDir };
  if (!env.SIDEGATE_MASTER_KEY && !env.SIDEGATE_MASTER_KEY_FILE) {
    cpEnv.SIDEGATE_MASTER_KEY_FILE = ensureSecretFile(dataDir, FILES.masterKey, generate.masterKey).path;
  }
  const admin = env.SIDEGATE_ADMIN_TOKEN
    ? { value: env.SIDEGATE_ADMIN_TOKEN, path: "$SIDEGATE_ADMIN_TOKEN" }
    : ensureSecretFile(dataDir, FILES.adminToken, generate.adminToken);
  const sidecarToken = env.SIDEGATE_SIDECAR_TOKEN || ensureSecretFile(dataDir, FILES.sidecarToken, generate.sidecarToken).value;
  const demoKey = env.SIDEGATE_DEMO_KEY || ensureSecretFile(dataDir, FILES.demoKey, generate.demoKey).value;
  const accepted = new Set([sidecarToken, ...(env.SIDEGATE_SIDECAR_TOKENS ?? "").split(",").map((t) => t.trim()).filter(Boolean)]);
  cpEnv.SIDEGATE_ADMIN_TOKEN = admin.value;
  cpEnv.SIDEGATE_SIDECAR_TOKEN = sidecarToken;
  cpEnv.SIDEGATE_SIDECAR_TOKENS = [...accepted].join(",");
  return {
    adminToken: admin.value,
    adminTokenSource: admin.path,
    sidecarToken,
    demoKey,
    cpEnv,
    sidecarEnv: { SIDEGATE_SIDECAR_TOKEN: sidecarToken },
  };
}
