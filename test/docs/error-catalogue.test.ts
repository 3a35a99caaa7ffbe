import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CATALOGUE } from "../../sidecar/src/errors/codes";
import { MESSAGES_ERROR_TYPES } from "../../sidecar/src/providers/anthropic/inbound/errors";
import { ERROR_CODES as ADMIN_ERRORS } from "../../control-plane/src/errors/codes";

const README = readFileSync(join(__dirname, "../../../README.md"), "utf8");

/** Rows `| `code` | status | type | … |` between `<!-- NAME:BEGIN -->` and `<!-- NAME:END -->`. */
function tableRows(section: string): Map<string, { status: number; type: string; next: string }> {
  const match = README.match(new RegExp(`<!-- ${section}:BEGIN -->([\\s\\S]*?)<!-- ${section}:END -->`));
  assert.ok(match, `README has a ${section} section`);
  const rows = new Map<string, { status: number; type: string; next: string }>();
  for (const line of (match[1] ?? "").split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const code = cells[1]?.match(/^`([a-z_]+)`$/)?.[1];
    if (code === undefined) continue;
    assert.ok(!rows.has(code), `${code} documented twice`);
    rows.set(code, { status: Number(cells[2]), type: (cells[3] ?? "").replace(/`/g, ""), next: (cells[4] ?? "").replace(/`/g, "") });
  }
  return rows;
}

function assertInSync(section: string, catalogue: Record<string, { status: number; type: string }>): void {
  const documented = tableRows(section);
  for (const [code, spec] of Object.entries(catalogue)) {
    const row = documented.get(code);
    assert.ok(row, `${section}: ${code} is not documented in README`);
    assert.equal(row.status, spec.status, `${section}: ${code} status`);
    assert.equal(row.type, spec.type, `${section}: ${code} type`);
  }
  for (const code of documented.keys()) assert.ok(code in catalogue, `${section}: README documents unknown code ${code}`);
}

test("every sidecar error code is documented in README with its status and type, and nothing else is", () => {
  assertInSync("ERRORS", ERROR_CATALOGUE);
});

test("the README's /v1/messages column matches the catalogue → Anthropic error type table", () => {
  const documented = tableRows("ERRORS");
  for (const [code, type] of Object.entries(MESSAGES_ERROR_TYPES)) assert.equal(documented.get(code)?.next, type, `${code} /v1/messages type`);
});

test("every admin API error code is documented in README, and nothing else is", () => {
  assertInSync("ADMIN_ERRORS", ADMIN_ERRORS);
});

test("every code maps to an error status (4xx or 5xx)", () => {
  const statuses = [...Object.values(ERROR_CATALOGUE), ...Object.values(ADMIN_ERRORS)].map((s) => s.status);
  assert.ok(statuses.every((s) => s >= 400 && s <= 599));
});
