import pino, { type Logger } from "pino";

export type { Logger } from "pino";

/** Paths pino censors. Secrets never belong in logs; this is the safety net. */
export const REDACT_PATHS: readonly string[] = [
  "authorization",
  "headers.authorization",
  "req.headers.authorization",
  "*.authorization",
  "*.headers.authorization",
  "apiKey",
  "api_key",
  "*.apiKey",
  "*.api_key",
  "token",
  "*.token",
  "sidecarToken",
  "*.sidecarToken",
  "secret",
  "*.secret",
  "secrets",
  "*.secrets",
  "key",
  "*.key",
  "password",
  "*.password",
];

/** Wraps any logger (e.g. one handed in by an embedding process or a test) so the redaction rules apply to it too. */
export function withRedaction(logger: Logger): Logger {
  return logger.child({}, { redact: { paths: [...REDACT_PATHS], censor: "[redacted]" } });
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: "sidegate-sidecar",
    level,
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
