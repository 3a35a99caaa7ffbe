import { test } from "node:test";
import assert from "node:assert/strict";
import { ADMIN_ROUTES } from "./route-table";

test("every authenticated route declares the role it needs", () => {
  for (const r of ADMIN_ROUTES) if (r.auth) assert.ok(r.access !== undefined, `${r.name} has no access`);
});

test("every mutation is audited and needs a writing role; reads are not audited", () => {
  for (const r of ADMIN_ROUTES) {
    if (r.method === "GET") {
      assert.equal(r.audit, undefined, `${r.name} is a read`);
      continue;
    }
    assert.ok(r.audit, `${r.name} is not audited`);
    assert.notEqual(r.access, "read", `${r.name} mutates with a read role`);
  }
});

test("route names are unique", () => {
  const names = ADMIN_ROUTES.map((r) => r.name);
  assert.equal(new Set(names).size, names.length);
});
