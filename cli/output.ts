import { AdminApiError, AdminUnreachableError } from "./admin-client";
import { EXIT_FAILURE } from "./command";
import type { CliIo } from "./io";

export type Column<T> = [header: string, cell: (row: T) => unknown];

/** Render a cell: arrays comma-joined, null/undefined as "-", objects as JSON. */
export function cell(v: unknown): string {
  if (v === undefined || v === null || v === "") return "-";
  if (Array.isArray(v)) return v.length === 0 ? "-" : v.map(cell).join(",");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** A compact, left-aligned table with two spaces between columns. */
export function table<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>): string {
  if (rows.length === 0) return "(none)\n";
  const grid = [columns.map(([h]) => h), ...rows.map((r) => columns.map(([, f]) => cell(f(r))))];
  const widths = columns.map((_, i) => Math.max(...grid.map((line) => (line[i] ?? "").length)));
  return grid.map((line) => line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd()).join("\n") + "\n";
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** API/network errors → `error: <code>: <message>` (+ one line per field detail) on stderr, exit 1. */
export function reportError(io: CliIo, err: unknown): number {
  if (err instanceof AdminApiError) {
    io.stderr(`error: ${err.code}: ${err.message}\n`);
    for (const d of err.details) io.stderr(`  - ${d.path || "(body)"}: ${d.message}\n`);
    return EXIT_FAILURE;
  }
  if (err instanceof AdminUnreachableError) {
    io.stderr(`error: ${err.message}\n`);
    return EXIT_FAILURE;
  }
  throw err;
}

/** A secret the API shows only once (key or admin token), with the warning that it cannot be retrieved. */
export function secretBlock(headline: string, secret: unknown, extra: readonly string[] = []): string {
  return [headline, "", `    ${String(secret)}`, "", "This secret is shown only once: store it now, it cannot be retrieved later.", ...extra, ""].join("\n");
}
