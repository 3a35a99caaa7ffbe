import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** Every path that could ever hold a secret. Keep in sync with what the code logs (it logs none of these). */
export const REDACT_PATHS: readonly string[] = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "metadata.authorization",
  "*.authorization",
  "*.Authorization",
  "*.api_key",
  "*.apiKey",
  "*.secrets",
  "*.secret",
  "*.key",
  "*.token",
  "*.adminToken",
  "*.masterKey",
  "*.sidecarTokens",
  "*.password",
  "authorization",
  "api_key",
  "secrets",
  "secret",
  "key",
  "token",
  "adminToken",
  "masterKey",
  "sidecarTokens",
];

/** Wraps any logger (e.g. a test's capture logger) so the redaction rules apply to it too. */
export function withRedaction(logger: Logger, bindings: Record<string, string> = {}): Logger {
  return logger.child(bindings, { redact: { paths: [...REDACT_PATHS], censor: "[redacted]" } });
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    name: "sidegate-control-plane",
    level,
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
