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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "sidegate-sidecar" },
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
