import { readFileSync } from "node:fs";
import type { z } from "zod";
import { DEFAULT_FAIL_MODES } from "../limiter/fail-mode";
import { defaultSidecarId, sidecarConfigSchema, sidecarEnvSchema, type SidecarConfig, type SidecarEnv } from "./schema";

export type { SidecarConfig } from "./schema";

/** Thrown with one readable line per problem, e.g. `SIDEGATE_PORT: expected a port number 0-65535, got "abc"`. */
export class ConfigError extends Error {
  readonly lines: readonly string[];
  constructor(lines: readonly string[]) {
    super(`invalid sidecar configuration:\n  ${lines.join("\n  ")}`);
    this.name = "ConfigError";
    this.lines = lines;
  }
}

function issueLines(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
}

const SNAPSHOT_KEY_BYTES = 32;

/** SIDEGATE_SNAPSHOT_KEY (base64) or the file SIDEGATE_SNAPSHOT_KEY_FILE names; the value is never echoed. */
function snapshotKey(env: SidecarEnv): string | undefined {
  let raw = env.SIDEGATE_SNAPSHOT_KEY;
  let from = "SIDEGATE_SNAPSHOT_KEY";
  if (raw === undefined && env.SIDEGATE_SNAPSHOT_KEY_FILE !== undefined) {
    from = "SIDEGATE_SNAPSHOT_KEY_FILE";
    try {
      raw = readFileSync(env.SIDEGATE_SNAPSHOT_KEY_FILE, "utf8").trim();
    } catch (err) {
      throw new ConfigError([`${from}: cannot read ${env.SIDEGATE_SNAPSHOT_KEY_FILE} (${(err as NodeJS.ErrnoException).code ?? "error"})`]);
    }
  }
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || Buffer.from(raw, "base64").length !== SNAPSHOT_KEY_BYTES) {
    throw new ConfigError([`${from}: expected base64 of ${SNAPSHOT_KEY_BYTES} random bytes (openssl rand -base64 32)`]);
  }
  return raw;
}

function fromEnv(env: SidecarEnv): SidecarConfig {
  const tlsSet = env.SIDEGATE_CP_TLS_CA ?? env.SIDEGATE_CP_TLS_CERT ?? env.SIDEGATE_CP_TLS_KEY;
  const upstreamTimeoutMs = env.SIDEGATE_UPSTREAM_TIMEOUT_MS ?? 120_000;
  const key = snapshotKey(env);
  return {
    host: env.SIDEGATE_HOST ?? "127.0.0.1",
    port: env.SIDEGATE_PORT ?? 4000,
    sidecarId: env.SIDEGATE_SIDECAR_ID ?? defaultSidecarId(),
    controlPlaneTarget: env.SIDEGATE_CP_GRPC ?? "127.0.0.1:50051",
    sidecarToken: env.SIDEGATE_SIDECAR_TOKEN ?? "",
    ...(tlsSet === undefined
      ? {}
      : {
          tls: {
            ...(env.SIDEGATE_CP_TLS_CA === undefined ? {} : { caFile: env.SIDEGATE_CP_TLS_CA }),
            ...(env.SIDEGATE_CP_TLS_CERT === undefined ? {} : { certFile: env.SIDEGATE_CP_TLS_CERT }),
            ...(env.SIDEGATE_CP_TLS_KEY === undefined ? {} : { keyFile: env.SIDEGATE_CP_TLS_KEY }),
          },
        }),
    logLevel: env.SIDEGATE_LOG_LEVEL ?? "info",
    maxBodyBytes: env.SIDEGATE_MAX_BODY_BYTES ?? 10_485_760,
    upstreamTimeoutMs,
    upstreamConnectTimeoutMs: env.SIDEGATE_UPSTREAM_CONNECT_TIMEOUT_MS ?? 10_000,
    upstreamBodyTimeoutMs: env.SIDEGATE_UPSTREAM_BODY_TIMEOUT_MS ?? Math.max(upstreamTimeoutMs, 300_000),
    upstreamTotalTimeoutMs: env.SIDEGATE_UPSTREAM_TOTAL_TIMEOUT_MS ?? 600_000,
    upstreamConnections: env.SIDEGATE_UPSTREAM_CONNECTIONS ?? 512,
    breakerConsecutiveFailures: env.SIDEGATE_BREAKER_CONSECUTIVE_FAILURES ?? 5,
    breakerOpenMs: env.SIDEGATE_BREAKER_OPEN_MS ?? 5_000,
    breakerMaxOpenMs: env.SIDEGATE_BREAKER_MAX_OPEN_MS ?? 60_000,
    allowUwsFallback: env.SIDEGATE_ALLOW_UWS_FALLBACK ?? false,
    metricsPort: env.SIDEGATE_METRICS_PORT ?? 9464,
    metricsHost: env.SIDEGATE_METRICS_HOST ?? env.SIDEGATE_HOST ?? "127.0.0.1",
    usageFlushMs: env.SIDEGATE_USAGE_FLUSH_MS ?? 200,
    usageBatchMaxRecords: 500,
    usageMaxQueuedBatches: env.SIDEGATE_USAGE_MAX_QUEUED_BATCHES ?? (env.SIDEGATE_DATA_DIR === undefined ? 10_000 : 1000),
    ...(env.SIDEGATE_DATA_DIR === undefined ? {} : { dataDir: env.SIDEGATE_DATA_DIR }),
    ...(key === undefined ? {} : { snapshotKey: key }),
    spoolFsync: env.SIDEGATE_SPOOL_FSYNC ?? "batch",
    spoolMaxBytes: env.SIDEGATE_SPOOL_MAX_BYTES ?? 1024 * 1024 * 1024,
    spoolRewriteAtBytes: env.SIDEGATE_SPOOL_REWRITE_AT_BYTES ?? 8 * 1024 * 1024,
    requestBodyTimeoutMs: env.SIDEGATE_REQUEST_BODY_TIMEOUT_MS ?? 30_000,
    reconnectMinMs: env.SIDEGATE_RECONNECT_MIN_MS ?? 250,
    reconnectMaxMs: env.SIDEGATE_RECONNECT_MAX_MS ?? 30_000,
    shutdownDeadlineMs: env.SIDEGATE_SHUTDOWN_DEADLINE_MS ?? 10_000,
    leaseRenewMs: env.SIDEGATE_LEASE_RENEW_MS ?? 1000,
    rateBurstMs: env.SIDEGATE_RATE_BURST_MS ?? 10_000,
    reserveMaxTokens: env.SIDEGATE_RESERVE_MAX_TOKENS ?? 4096,
    limitFallback: { ...DEFAULT_FAIL_MODES, ...env.SIDEGATE_LIMITS_FALLBACK },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses the environment once (empty strings count as unset), applies programmatic overrides, validates
 * the result and deep-freezes it. Throws ConfigError.
 */
export function loadSidecarConfig(env: NodeJS.ProcessEnv, overrides: Partial<SidecarConfig> = {}): SidecarConfig {
  const relevant: Record<string, string> = {};
  for (const name of Object.keys(sidecarEnvSchema.shape)) {
    const value = env[name];
    if (value !== undefined && value !== "") relevant[name] = value;
  }
  const parsedEnv = sidecarEnvSchema.safeParse(relevant);
  if (!parsedEnv.success) throw new ConfigError(issueLines(parsedEnv.error));
  const merged = { ...fromEnv(parsedEnv.data), ...overrides };
  const parsed = sidecarConfigSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(issueLines(parsed.error));
  if (parsed.data.reconnectMaxMs < parsed.data.reconnectMinMs) {
    throw new ConfigError(["reconnectMaxMs: must be >= reconnectMinMs"]);
  }
  if (parsed.data.breakerMaxOpenMs < parsed.data.breakerOpenMs) {
    throw new ConfigError(["breakerMaxOpenMs: must be >= breakerOpenMs (SIDEGATE_BREAKER_MAX_OPEN_MS >= SIDEGATE_BREAKER_OPEN_MS)"]);
  }
  return deepFreeze(parsed.data);
}
