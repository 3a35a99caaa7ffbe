import { hostname } from "node:os";
import { z } from "zod";

const failMode = z.enum(["share", "open", "closed"]);

/** The sidecar's typed, validated settings. Programmatic callers build one via `loadSidecarConfig({}, overrides)`. */
export const sidecarConfigSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    sidecarId: z.string().min(1),
    /** `host:port` of the control plane's gRPC listener. */
    controlPlaneTarget: z.string().min(1),
    /** Bootstrap token presented to the control plane (may be empty in dev; the CP then rejects). */
    sidecarToken: z.string(),
    /** PEM file paths; any set → TLS channel, otherwise plaintext. */
    tls: z
      .object({ caFile: z.string().optional(), certFile: z.string().optional(), keyFile: z.string().optional() })
      .strict()
      .optional(),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    maxBodyBytes: z.number().int().min(1),
    /** Upstream response-headers (first byte) timeout. Deployment.timeout_ms overrides it when set. */
    upstreamTimeoutMs: z.number().int().min(1),
    upstreamConnectTimeoutMs: z.number().int().min(1),
    /** Max idle time between upstream body chunks. */
    upstreamBodyTimeoutMs: z.number().int().min(1),
    /** Whole upstream exchange, retries included (routes may set their own). */
    upstreamTotalTimeoutMs: z.number().int().min(1),
    /** Max upstream connections per origin. */
    upstreamConnections: z.number().int().min(1),
    /** Circuit breaker: consecutive failures that eject a deployment, and its first and longest ejection. */
    breakerConsecutiveFailures: z.number().int().min(1),
    breakerOpenMs: z.number().int().min(1),
    breakerMaxOpenMs: z.number().int().min(1),
    allowUwsFallback: z.boolean(),
    /** 0 = metrics listener off; -1 = ephemeral port (tests); otherwise the port. */
    metricsPort: z.number().int().min(-1).max(65535),
    metricsHost: z.string().min(1),
    usageFlushMs: z.number().int().min(1),
    usageBatchMaxRecords: z.number().int().min(1),
    /** Unacked usage batches held in memory (with a data dir, the rest wait in the spool). */
    usageMaxQueuedBatches: z.number().int().min(1),
    /** Directory for the usage spool and the sealed policy snapshot; absent = nothing is persisted. */
    dataDir: z.string().min(1).optional(),
    /** base64 of the 32-byte AES-256-GCM key sealing the persisted snapshot; absent = no snapshot is kept. */
    snapshotKey: z.string().min(1).optional(),
    /** batch = fdatasync after every appended batch; interval = once a second; none = leave it to the OS. */
    spoolFsync: z.enum(["batch", "interval", "none"]),
    spoolMaxBytes: z.number().int().min(4096),
    /** A spool this big is rewritten with only its unacknowledged batches once they are ≤ 1/4 of it. */
    spoolRewriteAtBytes: z.number().int().min(4096),
    /** A request body must arrive completely within this time after the headers (slow senders get 408). */
    requestBodyTimeoutMs: z.number().int().min(1),
    /** Reconnect backoff for the Watch and Report streams. */
    reconnectMinMs: z.number().int().min(1),
    reconnectMaxMs: z.number().int().min(1),
    /** Default deadline for graceful shutdown (in-flight requests + usage flush). */
    shutdownDeadlineMs: z.number().int().min(0),
    /** How often capacity leases are renewed (and unused capacity returned). */
    leaseRenewMs: z.number().int().min(50).max(60_000),
    /** Burst of every RPM/TPM bucket, in ms of its rate. */
    rateBurstMs: z.number().int().min(100).max(60_000),
    /** Output tokens reserved (TPM and budget) for a request without max_tokens. */
    reserveMaxTokens: z.number().int().min(1),
    /** What each limit kind does once its lease expired and the control plane is unreachable. */
    limitFallback: z
      .object({
        rpm: failMode,
        tpm: failMode,
        concurrency: failMode,
        budget: failMode,
      })
      .strict(),
  })
  .strict();

export type SidecarConfig = Readonly<z.infer<typeof sidecarConfigSchema>>;




function intVar(min: number, max: number, what: string) {
  return z.string().transform((raw, ctx) => {
    const value = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      ctx.addIssue({ code: "custom", message: `expected ${what}, got ${JSON.stringify(raw)}` });
      return z.NEVER;
    }
    return value;
  });
}

const boolVar = z.string().transform((raw, ctx) => {
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off", ""].includes(v)) return false;
  ctx.addIssue({ code: "custom", message: `expected true or false, got ${JSON.stringify(raw)}` });
  return z.NEVER;
});

const port = intVar(0, 65535, "a port number 0-65535");

/** "rpm=share,budget=closed": kinds rpm|tpm|concurrency|budget, modes share|open|closed; unnamed kinds keep their default. */
const fallbackVar = z.string().transform((raw, ctx) => {
  const out: Record<string, "share" | "open" | "closed"> = {};
  for (const part of raw.split(",").map((p) => p.trim()).filter((p) => p !== "")) {
    const [kind = "", mode = ""] = part.split("=").map((x) => x.trim());
    if (!["rpm", "tpm", "concurrency", "budget"].includes(kind) || !["share", "open", "closed"].includes(mode)) {
      ctx.addIssue({ code: "custom", message: `expected kind=mode pairs (rpm|tpm|concurrency|budget = share|open|closed), got ${JSON.stringify(part)}` });
      return z.NEVER;
    }
    out[kind] = mode as "share" | "open" | "closed";
  }
  return out;
});
const positiveMs = intVar(1, 86_400_000, "a duration in milliseconds (1-86400000)");
const text = z.string().trim().min(1, "expected a non-empty value");

/** Environment variables the sidecar reads (all optional; defaults in load.ts). */
export const sidecarEnvSchema = z.object({
  SIDEGATE_HOST: text.optional(),
  SIDEGATE_PORT: port.optional(),
  SIDEGATE_SIDECAR_ID: text.optional(),
  SIDEGATE_CP_GRPC: text.optional(),
  SIDEGATE_SIDECAR_TOKEN: z.string().optional(),
  SIDEGATE_CP_TLS_CA: text.optional(),
  SIDEGATE_CP_TLS_CERT: text.optional(),
  SIDEGATE_CP_TLS_KEY: text.optional(),
  SIDEGATE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  SIDEGATE_MAX_BODY_BYTES: intVar(1, 1 << 30, "a byte count 1-1073741824").optional(),
  SIDEGATE_UPSTREAM_TIMEOUT_MS: positiveMs.optional(),
  SIDEGATE_UPSTREAM_CONNECT_TIMEOUT_MS: positiveMs.optional(),
  SIDEGATE_UPSTREAM_BODY_TIMEOUT_MS: positiveMs.optional(),
  SIDEGATE_UPSTREAM_TOTAL_TIMEOUT_MS: positiveMs.optional(),
  SIDEGATE_UPSTREAM_CONNECTIONS: intVar(1, 100_000, "a connection count 1-100000").optional(),
  SIDEGATE_BREAKER_CONSECUTIVE_FAILURES: intVar(1, 1_000, "a failure count 1-1000").optional(),
  SIDEGATE_BREAKER_OPEN_MS: positiveMs.optional(),
  SIDEGATE_BREAKER_MAX_OPEN_MS: positiveMs.optional(),
  SIDEGATE_ALLOW_UWS_FALLBACK: boolVar.optional(),
  SIDEGATE_METRICS_PORT: intVar(-1, 65535, "a port number 0-65535 (0 = off, -1 = ephemeral)").optional(),
  SIDEGATE_METRICS_HOST: text.optional(),
  SIDEGATE_USAGE_FLUSH_MS: positiveMs.optional(),
  SIDEGATE_DATA_DIR: text.optional(),
  SIDEGATE_SNAPSHOT_KEY: text.optional(),
  SIDEGATE_SNAPSHOT_KEY_FILE: text.optional(),
  SIDEGATE_SPOOL_FSYNC: z.enum(["batch", "interval", "none"]).optional(),
  SIDEGATE_SPOOL_MAX_BYTES: intVar(4096, Number.MAX_SAFE_INTEGER, "a byte count >= 4096").optional(),
  SIDEGATE_SPOOL_REWRITE_AT_BYTES: intVar(4096, Number.MAX_SAFE_INTEGER, "a byte count >= 4096").optional(),
  SIDEGATE_USAGE_MAX_QUEUED_BATCHES: intVar(1, 1_000_000, "a batch count 1-1000000").optional(),
  SIDEGATE_REQUEST_BODY_TIMEOUT_MS: positiveMs.optional(),
  SIDEGATE_RECONNECT_MIN_MS: positiveMs.optional(),
  SIDEGATE_RECONNECT_MAX_MS: positiveMs.optional(),
  SIDEGATE_SHUTDOWN_DEADLINE_MS: intVar(0, 3_600_000, "a duration in milliseconds (0-3600000)").optional(),
  SIDEGATE_LEASE_RENEW_MS: intVar(50, 60_000, "a duration in milliseconds (50-60000)").optional(),
  SIDEGATE_RATE_BURST_MS: intVar(100, 60_000, "a duration in milliseconds (100-60000)").optional(),
  SIDEGATE_RESERVE_MAX_TOKENS: intVar(1, 10_000_000, "a token count (1-10000000)").optional(),
  SIDEGATE_LIMITS_FALLBACK: fallbackVar.optional(),
});

export type SidecarEnv = z.infer<typeof sidecarEnvSchema>;

export function defaultSidecarId(): string {
  return hostname() || "sidecar";
}
