import { z } from "zod";

/** Log levels accepted by pino. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const MIN_TOKEN_LENGTH = 16;

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/** `host:port`, `[ipv6]:port`; port 0-65535. */
export const hostPort = z.string().transform((raw, ctx) => {
  const value = raw.trim();
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    ctx.addIssue({ code: "custom", message: `expected host:port with a port number 0-65535, got ${JSON.stringify(raw)}` });
    return z.NEVER;
  }
  return { host: (m[1] ?? m[2]) as string, port };
});

const tokenList = z.string().optional().transform((v) =>
  (v ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0),
);

/** The environment variables the control plane reads; everything else in the env is ignored. */
/** An optional duration in milliseconds within [min, max]. */
function optionalMs(min: number, max: number) {
  return optionalString.transform((v, ctx) => {
    if (v === undefined) return undefined;
    const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `expected a duration in milliseconds (${min}-${max}), got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return n;
  });
}

export const controlPlaneEnvSchema = z.object({
  SIDEGATE_CP_GRPC: hostPort.default({ host: "127.0.0.1", port: 50051 }),
  SIDEGATE_CP_HTTP: hostPort.default({ host: "127.0.0.1", port: 4100 }),
  SIDEGATE_DATA_DIR: optionalString.transform((v) => v ?? "./.sidegate"),
  SIDEGATE_LOG_LEVEL: optionalString.pipe(
    z.enum(LOG_LEVELS, { error: (iss) => `expected one of ${LOG_LEVELS.join("|")}, got ${JSON.stringify(iss.input)}` }).default("info"),
  ),
  SIDEGATE_ADMIN_TOKEN: z
    .string({ error: "required (the bearer token for the admin HTTP API)" })
    .trim()
    .min(MIN_TOKEN_LENGTH, { error: `must be at least ${MIN_TOKEN_LENGTH} characters` }),
  SIDEGATE_SIDECAR_TOKEN: tokenList,
  SIDEGATE_SIDECAR_TOKENS: tokenList,
  SIDEGATE_MASTER_KEY: optionalString,
  SIDEGATE_MASTER_KEY_FILE: optionalString,
  SIDEGATE_CP_TLS_CERT: optionalString,
  SIDEGATE_CP_TLS_KEY: optionalString,
  SIDEGATE_CP_TLS_CLIENT_CA: optionalString,
  SIDEGATE_CP_HTTP_REQUEST_TIMEOUT_MS: optionalMs(100, 3_600_000),
  SIDEGATE_LEASE_TTL_MS: optionalMs(500, 600_000),
  SIDEGATE_BOOTSTRAP_FILE: optionalString,
});

export type ControlPlaneEnv = z.output<typeof controlPlaneEnvSchema>;
export { MIN_TOKEN_LENGTH };
