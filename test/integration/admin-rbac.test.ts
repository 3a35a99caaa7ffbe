import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStack, type Stack } from "../support/stack";

type Err = { error?: { code: string; type: string } };
const code = (body: unknown): string | undefined => (body as Err).error?.code;

/**
 * RBAC matrix over the real admin API: each role × read/write × own/other team, on keys, users, projects,
 * budgets and usage, plus org-only resources.
 */
describe("admin RBAC", () => {
  let stack: Stack;
  const tokens: Record<"org" | "teamA" | "viewer", string> = { org: "", teamA: "", viewer: "" };
  let keyA = "";
  let keyB = "";

  before(async () => {
    stack = await startStack();
    const a = stack.admin;
    await a.ok("PUT", "/api/v1/teams/team-a", { name: "A" });
    await a.ok("PUT", "/api/v1/teams/team-b", { name: "B" });
    await a.ok("PUT", "/api/v1/users/alice", { team_id: "team-a", email: "alice@example.com" });
    await a.ok("PUT", "/api/v1/users/bob", { team_id: "team-b" });
    keyA = ((await a.ok("POST", "/api/v1/keys", { team_id: "team-a" })) as { id: string }).id;
    keyB = ((await a.ok("POST", "/api/v1/keys", { team_id: "team-b" })) as { id: string }).id;
    const make = async (body: unknown) => ((await a.ok("POST", "/api/v1/admin-tokens", body)) as { token: string }).token;
    tokens.org = await make({ role: "org_admin", name: "second org admin" });
    tokens.teamA = await make({ role: "team_admin", teams: ["team-a"] });
    tokens.viewer = await make({ role: "viewer", name: "finance" });
  });
  after(async () => stack.close());

  const as = (who: keyof typeof tokens, method: string, path: string, body?: unknown) => stack.admin.call(method, path, body, tokens[who]);

  /** [description, method, path, body, team ("own" = team-a, "other" = team-b, "org")] */
  const cases: [string, string, string, unknown, "own" | "other" | "org", "read" | "write"][] = [
    ["get key", "GET", "/api/v1/keys/%KA", undefined, "own", "read"],
    ["get key", "GET", "/api/v1/keys/%KB", undefined, "other", "read"],
    ["list keys of team", "GET", "/api/v1/keys?team_id=team-a", undefined, "own", "read"],
    ["list keys of team", "GET", "/api/v1/keys?team_id=team-b", undefined, "other", "read"],
    ["create key", "POST", "/api/v1/keys", { team_id: "team-a" }, "own", "write"],
    ["create key", "POST", "/api/v1/keys", { team_id: "team-b" }, "other", "write"],
    ["rotate key", "POST", "/api/v1/keys/%KA/rotate", { grace_seconds: 60 }, "own", "write"],
    ["rotate key", "POST", "/api/v1/keys/%KB/rotate", { grace_seconds: 60 }, "other", "write"],
    ["get user", "GET", "/api/v1/users/alice", undefined, "own", "read"],
    ["get user", "GET", "/api/v1/users/bob", undefined, "other", "read"],
    ["put user", "PUT", "/api/v1/users/alice", { team_id: "team-a", name: "Alice" }, "own", "write"],
    ["put user", "PUT", "/api/v1/users/bob", { team_id: "team-b", name: "Bob" }, "other", "write"],
    ["create project", "POST", "/api/v1/projects", { team_id: "team-a" }, "own", "write"],
    ["create project", "POST", "/api/v1/projects", { team_id: "team-b" }, "other", "write"],
    ["put budget", "PUT", "/api/v1/budgets/team/team-a/monthly", { limit_usd: 10, period: "month" }, "own", "write"],
    ["put budget", "PUT", "/api/v1/budgets/team/team-b/monthly", { limit_usd: 10, period: "month" }, "other", "write"],
    ["list budgets of team", "GET", "/api/v1/budgets?team_id=team-b", undefined, "other", "read"],
    ["usage of team", "GET", "/api/v1/usage?team_id=team-a", undefined, "own", "read"],
    ["usage of team", "GET", "/api/v1/usage?team_id=team-b", undefined, "other", "read"],
    ["usage records of team", "GET", "/api/v1/usage/records?team_id=team-b", undefined, "other", "read"],
    ["get team", "GET", "/api/v1/teams/team-b", undefined, "other", "read"],
    ["replace own team", "PUT", "/api/v1/teams/team-a", { name: "A" }, "own", "write"],
    ["create team", "POST", "/api/v1/teams", { name: "new" }, "org", "write"],
    ["put route", "PUT", "/api/v1/routes/mock-echo", { targets: [{ deployment_id: "mock" }] }, "org", "write"],
    ["list routes", "GET", "/api/v1/routes", undefined, "org", "read"],
    ["put prices", "PUT", "/api/v1/prices", { prices: [{ provider: "", model: "mock-echo", input_per_mtok: 0, output_per_mtok: 0 }] }, "org", "write"],
    ["list admin tokens", "GET", "/api/v1/admin-tokens", undefined, "org", "write"],
  ];

  /** The expected status and code for a role on a case. */
  function expected(role: keyof typeof tokens, team: "own" | "other" | "org", kind: "read" | "write", path: string): [number | "2xx", string?] {
    if (role === "org") return ["2xx"];
    if (role === "viewer") {
      if (kind === "write") return [403, "forbidden"];
      return ["2xx"];
    }
    // team admin (team-a)
    if (team === "own") return ["2xx"];
    if (team === "other") return [403, "out_of_scope"];
    if (kind === "read" && !path.includes("admin-tokens")) return ["2xx"];
    return [403, "forbidden"];
  }

  for (const role of ["org", "teamA", "viewer"] as const) {
    test(`${role}: the whole matrix`, async () => {
      for (const [what, method, rawPath, body, team, kind] of cases) {
        const path = rawPath.replace("%KA", keyA).replace("%KB", keyB);
        const r = await as(role, method, path, body);
        const [status, c] = expected(role, team, kind, path);
        const label = `${role} ${what} (${team}) ${method} ${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`;
        if (status === "2xx") assert.ok(r.status >= 200 && r.status < 300, label);
        else {
          assert.equal(r.status, status, label);
          assert.equal(code(r.body), c, label);
          assert.equal((r.body as Err).error?.type, "permission_error", label);
        }
      }
    });
  }

  test("a team admin's lists only hold its teams", async () => {
    const teams = (await as("teamA", "GET", "/api/v1/teams")).body as { data: { id: string }[] };
    assert.deepEqual(teams.data.map((t) => t.id), ["team-a"]);
    const keys = (await as("teamA", "GET", "/api/v1/keys")).body as { data: { team_id: string }[] };
    assert.ok(keys.data.length > 0 && keys.data.every((k) => k.team_id === "team-a"));
    const users = (await as("teamA", "GET", "/api/v1/users")).body as { data: { id: string }[] };
    assert.deepEqual(users.data.map((u) => u.id), ["alice"]);
    const budgets = (await as("teamA", "GET", "/api/v1/budgets")).body as { data: { team_id: string }[] };
    assert.ok(budgets.data.every((b) => b.team_id === "team-a"));
    const audit = (await as("teamA", "GET", "/api/v1/audit")).body as { data: { team_id: string | null }[] };
    assert.ok(audit.data.length > 0 && audit.data.every((e) => e.team_id === "team-a"));
  });

  test("a team admin cannot move a user into its team or name another team's user on a key", async () => {
    const moved = await as("teamA", "PUT", "/api/v1/users/bob", { team_id: "team-a" });
    assert.equal(moved.status, 403);
    assert.equal(code(moved.body), "out_of_scope");
    const wrongUser = await as("teamA", "POST", "/api/v1/keys", { team_id: "team-a", user_id: "bob" });
    assert.equal(wrongUser.status, 400);
    assert.equal(code(wrongUser.body), "validation_failed");
  });

  test("revoked and unknown admin tokens get 401; admin token secrets are shown once and never listed", async () => {
    const created = (await stack.admin.ok("POST", "/api/v1/admin-tokens", { role: "viewer" })) as { id: string; token: string; display: string };
    assert.match(created.token, /^sga-[A-Za-z0-9_-]{43}$/);
    assert.equal(created.display, `sga-…${created.token.slice(-4)}`);
    assert.equal((await stack.admin.call("GET", "/api/v1/teams", undefined, created.token)).status, 200);
    const listed = await stack.admin.call("GET", "/api/v1/admin-tokens");
    assert.ok(!JSON.stringify(listed.body).includes(created.token));
    await stack.admin.ok("DELETE", `/api/v1/admin-tokens/${created.id}`);
    const after = await stack.admin.call("GET", "/api/v1/teams", undefined, created.token);
    assert.equal(after.status, 401);
    assert.equal(code(after.body), "unauthorized");
    assert.equal((await stack.admin.call("GET", "/api/v1/teams", undefined, "sga-not-a-real-token-000000000000000000000000")).status, 401);
  });

  test("token creation is validated: team_admin needs teams that exist; others take none", async () => {
    for (const body of [{ role: "team_admin" }, { role: "viewer", teams: ["team-a"] }, { role: "team_admin", teams: ["nope"] }, { role: "root" }]) {
      const r = await stack.admin.call("POST", "/api/v1/admin-tokens", body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(code(r.body), "validation_failed");
    }
  });
});
