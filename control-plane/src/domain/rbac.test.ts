import { test } from "node:test";
import assert from "node:assert/strict";
import { BOOTSTRAP_ACTOR, actorOf, roleDenial, teamDenial, teamFilter } from "./rbac";
import { redactForAudit } from "./redact";

const teamAdmin = actorOf({ id: "t", role: "team_admin", teams: ["a"] });
const viewer = actorOf({ id: "v", role: "viewer", teams: ["ignored"] });

test("roles: read for all, write for org and team admins, org for org admins only", () => {
  assert.equal(roleDenial(viewer, "read"), null);
  assert.equal(roleDenial(viewer, "write"), "forbidden");
  assert.equal(roleDenial(teamAdmin, "write"), null);
  assert.equal(roleDenial(teamAdmin, "org"), "forbidden");
  assert.equal(roleDenial(BOOTSTRAP_ACTOR, "org"), null);
});

test("team scope: only team admins are restricted, to their listed teams", () => {
  assert.equal(teamDenial(teamAdmin, "a"), null);
  assert.equal(teamDenial(teamAdmin, "b"), "out_of_scope");
  assert.equal(teamDenial(viewer, "b"), null, "a viewer's teams list is ignored: it reads the whole org");
  assert.deepEqual(teamFilter(teamAdmin), ["a"]);
  assert.equal(teamFilter(BOOTSTRAP_ACTOR), undefined);
});

test("audit redaction drops secret-bearing fields at any depth and binary values", () => {
  const out = redactForAudit({ id: "k", key: "sk-sg-x", nested: [{ secrets: { api_key: "v" }, Hash: "h", ok: 1 }], raw: Buffer.alloc(2), token: "t" });
  assert.deepEqual(out, { id: "k", nested: [{ ok: 1 }], raw: "[redacted]" });
  assert.equal(redactForAudit(undefined), null);
});
