import { Writable } from "node:stream";
import pino, { type Logger } from "pino";

/** A pino logger whose JSON lines are kept in memory, so tests can assert on what was logged. */
export interface LogCapture {
  logger: Logger;
  text(): string;
  lines(): Record<string, unknown>[];
}

export function captureLogs(level: pino.LevelWithSilent = "debug"): LogCapture {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, cb): void {
      chunks.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
      cb();
    },
  });
  return {
    logger: pino({ level }, sink),
    text: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
