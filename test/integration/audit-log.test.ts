import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startStack, TEST_PROVIDER_KEY, type Stack } from "../support/stack";

type Entry = {
  id: number; at: string; actor_id: string; actor_role: string; action: string; resource_type: string; resource_id: string;
  team_id: string | null; before: Record<string, unknown> | null; after: Record<string, unknown> | null;
};
type Page = { data: Entry[]; next_before_id: number | null };

const forms = (secret: string): string[] => {
  const d = createHash("sha256").update(secret).digest();
  return [secret, d.toString("hex"), d.toString("base64"), d.toString("base64url")];
};

describe("audit log", () => {
  let stack: Stack;
  const secrets: string[] = [];
  let teamAdmin = { id: "", token: "" };

  before(async () => {
    stack = await startStack();
    secrets.push(...forms(stack.adminToken), ...forms(stack.demoKey), TEST_PROVIDER_KEY);
    const a = stack.admin;
    await a.ok("PUT", "/api/v1/teams/audited", { name: "Audited" });
    await a.ok("PUT", "/api/v1/users/ann", { team_id: "audited", email: "ann@example.com" });
    await a.ok("PUT", "/api/v1/teams/audited", { name: "Audited team", owner_user_id: "ann" });
    const key = (await a.ok("POST", "/api/v1/keys", { id: "audited-key", team_id: "audited", user_id: "ann" })) as { key: string };
    const rotated = (await a.ok("POST", "/api/v1/keys/audited-key/rotate", { grace_seconds: 60 })) as { key: string };
    await a.ok("PUT", "/api/v1/budgets/key/audited-key/daily", { limit_usd: 5, period: "day", hard: true });
    await a.ok("DELETE", "/api/v1/keys/audited-key");
    await a.ok("PUT", "/api/v1/providers/audited-cred", { provider: "openai", secrets: { api_key: "sk-upstream-AUDIT-0123456789abcdef" } });
    await a.ok("PUT", "/api/v1/prices", {
      version: "audit-test-1", prices: [{ provider: "", model: "mock-echo", input_per_mtok: 1, output_per_mtok: 2 }],
    });
    teamAdmin = (await a.ok("POST", "/api/v1/admin-tokens", { id: "audited-admin", role: "team_admin", teams: ["audited"] })) as typeof teamAdmin;
    await a.call("PUT", "/api/v1/projects/p1", { team_id: "audited" }, teamAdmin.token);
    secrets.push(...forms(key.key), ...forms(rotated.key), "sk-upstream-AUDIT-0123456789abcdef", ...forms(teamAdmin.token));
  });
  after(async () => stack.close());

  const audit = async (query = ""): Promise<Page> => (await stack.admin.ok("GET", `/api/v1/audit${query}`)) as Page;

  test("every admin mutation is recorded with actor, action, resource and before/after", async () => {
    const all = (await audit("?limit=1000")).data;
    const find = (type: string, id: string, action: string): Entry => {
      const e = all.find((x) => x.resource_type === type && x.resource_id === id && x.action === action);
      assert.ok(e, `${type} ${id} ${action} audited`);
      return e;
    };
    const created = find("team", "audited", "create");
    assert.equal(created.actor_id, "bootstrap");
    assert.equal(created.actor_role, "org_admin");
    assert.equal(created.before, null);
    assert.equal(created.after?.["name"], "Audited");
    const updated = find("team", "audited", "update");
    assert.equal(updated.before?.["owner_user_id"], null);
    assert.equal(updated.after?.["owner_user_id"], "ann");
    const rotate = find("key", "audited-key", "rotate");
    assert.notEqual(rotate.before?.["display"], rotate.after?.["display"]);
    assert.equal(rotate.team_id, "audited");
    const budget = find("budget", "key/audited-key/daily", "create");
    assert.equal(budget.after?.["limit_usd"], 5);
    const revoke = find("key", "audited-key", "revoke");
    assert.equal(revoke.before?.["status"], "active");
    assert.equal(revoke.after?.["status"], "revoked");
    assert.deepEqual(find("provider", "audited-cred", "create").after?.["secret_fields"], ["api_key"]);
    assert.equal(find("prices", "audit-test-1", "update").after?.["version"], "audit-test-1");
    find("admin_token", "audited-admin", "create");
    const byTeamAdmin = find("project", "p1", "create");
    assert.equal(byTeamAdmin.actor_id, "audited-admin");
    assert.equal(byTeamAdmin.actor_role, "team_admin");
    // The stack's own setup is audited too.
    find("route", "mock-echo", "create");
    find("deployment", "mock", "create");
  });

  test("no secret and no hash ever appears in the audit log", async () => {
    const text = JSON.stringify((await audit("?limit=1000")).data);
    for (const s of secrets) assert.ok(!text.includes(s), `audit log leaks ${s.slice(0, 8)}…`);
    assert.ok(!/"(key|secret|secrets|hash|token)"\s*:/.test(text), "no secret-bearing field names");
  });

  test("filters by resource, actor and time; pages backwards with before_id", async () => {
    const keyEntries = (await audit("?resource_type=key&resource_id=audited-key")).data;
    assert.deepEqual(keyEntries.map((e) => e.action), ["revoke", "rotate", "create"], "budget edits are audited as budgets");
    const mine = (await audit("?actor_id=audited-admin")).data;
    assert.ok(mine.length > 0 && mine.every((e) => e.actor_id === "audited-admin"));
    assert.deepEqual((await audit(`?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).data, []);
    const first = await audit("?limit=2");
    assert.equal(first.data.length, 2);
    assert.ok(first.next_before_id !== null);
    const second = await audit(`?limit=2&before_id=${first.next_before_id}`);
    assert.ok((second.data[0]?.id ?? Infinity) < (first.data[1]?.id ?? 0));
    const bad = await stack.admin.call("GET", "/api/v1/audit?from=yesterday");
    assert.equal(bad.status, 400);
  });

  test("reads are not audited", async () => {
    const before = (await audit("?limit=1")).data[0]?.id;
    await stack.admin.ok("GET", "/api/v1/keys");
    await stack.admin.ok("GET", "/api/v1/teams/audited");
    assert.equal((await audit("?limit=1")).data[0]?.id, before);
  });
});
