import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { z } from "zod";
import type { BootstrapPlan } from "../bootstrap/schema";
import { BootstrapFileError, loadBootstrapFile } from "./bootstrap-file";
import { controlPlaneEnvSchema, MIN_TOKEN_LENGTH, type ControlPlaneEnv, type LogLevel } from "./schema";

export interface ControlPlaneTlsConfig {
  /** PEM server certificate chain. */
  readonly cert: Buffer;
  /** PEM private key. */
  readonly key: Buffer;
  /** PEM CA bundle; when set, clients must present a certificate signed by it (mTLS). */
  readonly clientCa?: Buffer;
}

export interface ControlPlaneConfig {
  /** Absolute path of the store directory (created with mode 0700). */
  readonly dataDir: string;
  readonly grpcHost: string;
  /** 0 = pick a free port. */
  readonly grpcPort: number;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly adminToken: string;
  readonly sidecarTokens: readonly string[];
  /** 32 bytes; wraps every credential's data key. */
  readonly masterKey: Buffer;
  readonly logLevel: LogLevel;
  readonly tls?: ControlPlaneTlsConfig;
  /** A whole admin API request (headers + body) must arrive within this time; default 30000. */
  readonly httpRequestTimeoutMs?: number;
  /** The declarative bootstrap file (`SIDEGATE_BOOTSTRAP_FILE`), validated and resolved; applied at start. */
  readonly bootstrap?: BootstrapPlan;
  /** How long a capacity lease is valid after it is granted (default 5000 ms); sidecars renew every second. */
  readonly leaseTtlMs?: number;
}

/** Invalid configuration; `message` is one readable line per problem, prefixed by the variable name. */
export class ConfigError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`invalid control plane configuration:\n  ${issues.join("\n  ")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

export const MASTER_KEY_BYTES = 32;

/** Parse the environment once into a frozen config. `overrides` win over the environment. */
export function loadControlPlaneConfig(env: NodeJS.ProcessEnv, overrides?: Partial<ControlPlaneConfig>): ControlPlaneConfig {
  const parsed = controlPlaneEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error, env));
  const e = parsed.data;
  const issues: string[] = [];
  const sidecarTokens = [...new Set([...e.SIDEGATE_SIDECAR_TOKEN, ...e.SIDEGATE_SIDECAR_TOKENS])];
  if (overrides?.sidecarTokens === undefined) {
    if (sidecarTokens.length === 0) issues.push("SIDEGATE_SIDECAR_TOKEN: required (set it or SIDEGATE_SIDECAR_TOKENS, comma-separated)");
    for (const t of sidecarTokens) {
      if (t.length < MIN_TOKEN_LENGTH) issues.push(`SIDEGATE_SIDECAR_TOKEN(S): every token must be at least ${MIN_TOKEN_LENGTH} characters`);
    }
  }
  const masterKey = overrides?.masterKey ?? readMasterKey(e, issues);
  const tls = overrides && "tls" in overrides ? overrides.tls : readTls(e, issues);
  const bootstrap = overrides && "bootstrap" in overrides ? overrides.bootstrap : readBootstrap(e.SIDEGATE_BOOTSTRAP_FILE, env, issues);
  if (issues.length > 0) throw new ConfigError([...new Set(issues)]);
  const config: ControlPlaneConfig = {
    dataDir: resolve(e.SIDEGATE_DATA_DIR),
    grpcHost: e.SIDEGATE_CP_GRPC.host,
    grpcPort: e.SIDEGATE_CP_GRPC.port,
    httpHost: e.SIDEGATE_CP_HTTP.host,
    httpPort: e.SIDEGATE_CP_HTTP.port,
    adminToken: e.SIDEGATE_ADMIN_TOKEN,
    sidecarTokens,
    masterKey: masterKey ?? Buffer.alloc(0),
    logLevel: e.SIDEGATE_LOG_LEVEL,
    ...(tls ? { tls } : {}),
    ...(e.SIDEGATE_CP_HTTP_REQUEST_TIMEOUT_MS === undefined ? {} : { httpRequestTimeoutMs: e.SIDEGATE_CP_HTTP_REQUEST_TIMEOUT_MS }),
    ...(bootstrap ? { bootstrap } : {}),
    ...(e.SIDEGATE_LEASE_TTL_MS !== undefined ? { leaseTtlMs: e.SIDEGATE_LEASE_TTL_MS } : {}),
    ...overrides,
  };
  assertControlPlaneConfig(config);
  return freezeConfig(config);
}

/** Checks a programmatically built config (the `dev` command and tests skip env parsing). */
export function assertControlPlaneConfig(config: ControlPlaneConfig): void {
  const issues: string[] = [];
  if (config.masterKey.length !== MASTER_KEY_BYTES) issues.push(`masterKey: expected ${MASTER_KEY_BYTES} bytes, got ${config.masterKey.length}`);
  if (config.adminToken.length < MIN_TOKEN_LENGTH) issues.push(`adminToken: must be at least ${MIN_TOKEN_LENGTH} characters`);
  if (config.sidecarTokens.length === 0) issues.push("sidecarTokens: at least one token is required");
  if (config.sidecarTokens.some((t) => t.length === 0)) issues.push("sidecarTokens: empty token");
  for (const [name, port] of [["grpcPort", config.grpcPort], ["httpPort", config.httpPort]] as const) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) issues.push(`${name}: expected a port number 0-65535, got ${String(port)}`);
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

function readMasterKey(e: ControlPlaneEnv, issues: string[]): Buffer | undefined {
  if (e.SIDEGATE_MASTER_KEY !== undefined && e.SIDEGATE_MASTER_KEY_FILE !== undefined) {
    issues.push("SIDEGATE_MASTER_KEY: set either SIDEGATE_MASTER_KEY or SIDEGATE_MASTER_KEY_FILE, not both");
    return undefined;
  }
  let raw = e.SIDEGATE_MASTER_KEY;
  let name = "SIDEGATE_MASTER_KEY";
  if (e.SIDEGATE_MASTER_KEY_FILE !== undefined) {
    name = "SIDEGATE_MASTER_KEY_FILE";
    raw = readText(e.SIDEGATE_MASTER_KEY_FILE, name, issues)?.trim();
    if (raw === undefined) return undefined;
  }
  if (raw === undefined) {
    issues.push("SIDEGATE_MASTER_KEY: required (base64 of 32 random bytes, e.g. `openssl rand -base64 32`), or SIDEGATE_MASTER_KEY_FILE");
    return undefined;
  }
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, "base64") : Buffer.alloc(0);
  if (key.length !== MASTER_KEY_BYTES) {
    issues.push(`${name}: expected base64 of exactly ${MASTER_KEY_BYTES} bytes, got ${key.length === 0 ? "invalid base64" : `${key.length} bytes`}`);
    return undefined;
  }
  return key;
}

function readTls(e: ControlPlaneEnv, issues: string[]): ControlPlaneTlsConfig | undefined {
  const { SIDEGATE_CP_TLS_CERT: certPath, SIDEGATE_CP_TLS_KEY: keyPath, SIDEGATE_CP_TLS_CLIENT_CA: caPath } = e;
  if (certPath === undefined && keyPath === undefined && caPath === undefined) return undefined;
  if (certPath === undefined || keyPath === undefined) {
    issues.push("SIDEGATE_CP_TLS_CERT: TLS needs both SIDEGATE_CP_TLS_CERT and SIDEGATE_CP_TLS_KEY");
    return undefined;
  }
  const cert = readBytes(certPath, "SIDEGATE_CP_TLS_CERT", issues);
  const key = readBytes(keyPath, "SIDEGATE_CP_TLS_KEY", issues);
  const clientCa = caPath === undefined ? undefined : readBytes(caPath, "SIDEGATE_CP_TLS_CLIENT_CA", issues);
  if (!cert || !key || (caPath !== undefined && !clientCa)) return undefined;
  return clientCa ? { cert, key, clientCa } : { cert, key };
}

function readBootstrap(path: string | undefined, env: NodeJS.ProcessEnv, issues: string[]): BootstrapPlan | undefined {
  if (path === undefined) return undefined;
  try {
    return loadBootstrapFile(path, env);
  } catch (err) {
    if (!(err instanceof BootstrapFileError)) throw err;
    issues.push(...err.issues);
    return undefined;
  }
}

function readBytes(path: string, name: string, issues: string[]): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (err) {
    issues.push(`${name}: cannot read ${JSON.stringify(path)} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    return undefined;
  }
}

function readText(path: string, name: string, issues: string[]): string | undefined {
  return readBytes(path, name, issues)?.toString("utf8");
}

function formatIssues(error: z.ZodError, env: NodeJS.ProcessEnv): string[] {
  return error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "env");
    const got = env[name];
    const secret = /TOKEN|KEY/.test(name);
    const suffix = issue.code === "invalid_type" && got === undefined ? "" : secret || issue.message.includes("got ") ? "" : `, got ${JSON.stringify(got)}`;
    return `${name}: ${issue.message}${suffix}`;
  });
}

function freezeConfig(config: ControlPlaneConfig): ControlPlaneConfig {
  const tls = config.tls ? Object.freeze({ ...config.tls }) : undefined;
  return Object.freeze({ ...config, sidecarTokens: Object.freeze([...config.sidecarTokens]), ...(tls ? { tls } : {}) });
}
