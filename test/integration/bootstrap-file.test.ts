import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadControlPlaneConfig } from "../../control-plane/src/config/load";
import { startControlPlane } from "../../control-plane/src/main";
import { AdminClient } from "../support/admin";
import { captureLogs } from "../support/log-capture";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

const KEY = "sk-sg-bootstrap-" + randomBytes(16).toString("hex");
const KEY_NEXT = "sk-sg-bootstrap-next-" + randomBytes(16).toString("hex");
const HASHED = "sk-sg-prehashed-" + randomBytes(16).toString("hex");
const UPSTREAM = "sk-upstream-BOOT-" + randomBytes(8).toString("hex");

const yamlFile = (mockUrl: string): string => `
# config as code: applied at every control-plane start, idempotently
teams:
  - id: payments
    name: Payments
    owner_user_id: alice
    allowed_models: [mock-echo, boot-echo]
users:
  - { id: alice, team_id: payments, email: alice@example.com, name: Alice }
projects:
  - { id: checkout, team_id: payments, name: Checkout }
providers:
  - id: boot-cred
    provider: openai
    secrets_env: { api_key: BOOT_UPSTREAM_KEY }
deployments:
  - { id: boot-mock, provider: openai, base_url: "${mockUrl}", credential_id: boot-cred }
routes:
  - model: boot-echo
    targets: [{ deployment_id: boot-mock }]
keys:
  - id: checkout-service
    team_id: payments
    user_id: alice
    project_id: checkout
    secret_env: BOOT_KEY
    rotation_grace_seconds: 600
  - id: prehashed
    team_id: payments
    hash: "sha256:${createHash("sha256").update(HASHED).digest("hex")}"
budgets:
  - { scope: team, owner: payments, id: monthly, limit_usd: 100, period: month, hard: true }
`;

describe("declarative bootstrap file", () => {
  let stack: Stack;
  let dir: string;
  let file: string;
  const env = (key: string): Record<string, string> => ({
    SIDEGATE_BOOTSTRAP_FILE: file, BOOT_KEY: key, BOOT_UPSTREAM_KEY: UPSTREAM, SIDEGATE_LEASE_TTL_MS: "2000",
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "sidegate-bootstrap-"));
    file = join(dir, "sidegate.yaml");
    writeFileSync(file, "teams: []\n");
    // The mock's URL is known only once the stack runs: start with an empty file, then write the real one.
    // Short leases on both control planes: a restarted one waits out its predecessor's leases before granting.
    stack = await startStack({ cpEnv: { SIDEGATE_LEASE_TTL_MS: "2000" } });
    writeFileSync(file, yamlFile(stack.mock.baseUrl));
  });
  after(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A second control plane on the stack's data dir, configured from `extraEnv`; closed after `fn`. */
  async function withControlPlane<T>(extraEnv: Record<string, string>, fn: (admin: AdminClient, grpcAddress: string) => Promise<T>): Promise<T> {
    const config = loadControlPlaneConfig(
      { SIDEGATE_CP_GRPC: "127.0.0.1:0", SIDEGATE_CP_HTTP: "127.0.0.1:0", SIDEGATE_ADMIN_TOKEN: stack.adminToken, SIDEGATE_SIDECAR_TOKEN: stack.sidecarToken, ...extraEnv },
      { dataDir: stack.dataDir, masterKey: stack.cpConfig.masterKey },
    );
    const cp = await startControlPlane(config, { logger: captureLogs("silent").logger });
    try {
      return await fn(new AdminClient(cp.httpUrl, stack.adminToken), cp.grpcAddress);
    } finally {
      await cp.close();
    }
  }

  test("applies teams, users, projects, providers, deployments, routes, keys and budgets; keys work on a sidecar with attribution", async () => {
    await stack.cp.close();
    await withControlPlane(env(KEY), async (admin, grpcAddress) => {
      const team = (await admin.ok("GET", "/api/v1/teams/payments")) as { owner_user_id: string; limits: { budgets: { id: string }[] } };
      assert.equal(team.owner_user_id, "alice");
      assert.deepEqual(team.limits.budgets.map((b) => b.id), ["monthly"]);
      const key = (await admin.ok("GET", "/api/v1/keys/checkout-service")) as { user_id: string; project_id: string; display: string };
      assert.equal(key.user_id, "alice");
      assert.equal(key.project_id, "checkout");
      assert.equal(key.display, `sk-sg-…${KEY.slice(-4)}`);
      const audit = (await admin.ok("GET", "/api/v1/audit?actor_id=bootstrap-file&limit=1000")) as { data: { actor_role: string }[] };
      assert.ok(audit.data.length >= 9 && audit.data.every((e) => e.actor_role === "system"));
      assert.ok(!JSON.stringify(audit.data).includes(UPSTREAM) && !JSON.stringify(audit.data).includes(KEY));

      // A sidecar on this control plane: both keys authenticate, and usage carries user and project.
      const sc = await stack.startSidecar({ SIDEGATE_CP_GRPC: grpcAddress });
      // The restarted control plane grants budget capacity only once leases held before the restart expired
      // (no double grant; leases are short here, 2 s, above the sidecars' 1 s renewal): until then the team's hard budget answers 429.
      for (const k of [KEY, HASHED]) {
        const { value: res } = await waitFor(async () => {
          const r = await fetch(`${sc.url}/v1/chat/completions`, {
            method: "POST", headers: { authorization: `Bearer ${k}`, "content-type": "application/json" },
            body: JSON.stringify({ model: "boot-echo", messages: [{ role: "user", content: "hi" }] }),
          });
          if (r.status === 429) return undefined;
          return { status: r.status, text: await r.text() };
        }, 15_000, 100);
        assert.equal(res.status, 200, res.text);
      }
      await waitFor(async () => {
        const r = (await admin.ok("GET", "/api/v1/usage/records?user_id=alice&project_id=checkout")) as { data: { key_id: string; status: number }[] };
        const served = r.data.filter((x) => x.status === 200);
        return served.length === 1 && served[0]?.key_id === "checkout-service" && r.data.every((x) => x.key_id === "checkout-service");
      }, 3000);
      await sc.close({ deadlineMs: 1000 });
    });
  });

  test("a second start with the same file changes nothing: same policy version, no new audit entries", async () => {
    const snapshot = async (admin: AdminClient) => ({
      audit: ((await admin.ok("GET", "/api/v1/audit?limit=1")) as { data: { id: number }[] }).data[0]?.id,
      teams: JSON.stringify(await admin.ok("GET", "/api/v1/teams")),
      keys: JSON.stringify(await admin.ok("GET", "/api/v1/keys?team_id=payments")),
    });
    const first = await withControlPlane(env(KEY), snapshot);
    const second = await withControlPlane(env(KEY), snapshot);
    assert.deepEqual(second, first);
  });

  test("a changed secret rotates the key with the file's grace period", async () => {
    await withControlPlane(env(KEY_NEXT), async (admin) => {
      const key = (await admin.ok("GET", "/api/v1/keys/checkout-service")) as { display: string; previous_secrets_expire_at: string[] };
      assert.equal(key.display, `sk-sg-…${KEY_NEXT.slice(-4)}`);
      assert.equal(key.previous_secrets_expire_at.length, 1);
      const rotations = (await admin.ok("GET", "/api/v1/audit?resource_type=key&resource_id=checkout-service")) as { data: { action: string }[] };
      assert.equal(rotations.data[0]?.action, "rotate");
    });
  });

  test("an invalid file stops the start with one readable line per problem, naming fields, never secret values", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({
      teams: [{ id: "t", name: "T" }, { id: "t", name: "again" }],
      keys: [{ id: "k", team_id: "t", secret_env: "NOT_SET_ANYWHERE" }, { id: "k2", team_id: "t" }],
      routes: [{ model: "m", targets: [] }],
      widgets: [],
    }));
    const base = { SIDEGATE_ADMIN_TOKEN: stack.adminToken, SIDEGATE_SIDECAR_TOKEN: stack.sidecarToken, SIDEGATE_MASTER_KEY: randomBytes(32).toString("base64") };
    assert.throws(() => loadControlPlaneConfig({ ...base, SIDEGATE_BOOTSTRAP_FILE: bad }), (err: Error) => {
      assert.match(err.message, /SIDEGATE_BOOTSTRAP_FILE: .*bad\.json: \(root\): unknown field widgets/);
      assert.match(err.message, /teams\.1: duplicate t/);
      assert.match(err.message, /keys\.1: give exactly one of secret_env, secret_file or hash/);
      assert.match(err.message, /routes\.0\.targets/);
      return true;
    });
    writeFileSync(bad, JSON.stringify({ teams: [{ id: "t", name: "T" }], keys: [{ id: "k", team_id: "t", secret_env: "NOT_SET_ANYWHERE" }] }));
    assert.throws(() => loadControlPlaneConfig({ ...base, SIDEGATE_BOOTSTRAP_FILE: bad }), /keys\.0\.secret_env: environment variable NOT_SET_ANYWHERE is not set/);
    writeFileSync(bad, JSON.stringify({ keys: [{ id: "k", team_id: "t", secret_env: "SHORT_KEY" }] }));
    assert.throws(() => loadControlPlaneConfig({ ...base, SIDEGATE_BOOTSTRAP_FILE: bad, SHORT_KEY: "sk-short" }), (err: Error) => {
      assert.match(err.message, /keys\.0\.secret_env: the secret must match/);
      assert.ok(!err.message.includes("sk-short"));
      return true;
    });
    const yaml = join(dir, "bad.yaml");
    writeFileSync(yaml, "teams: [\n");
    assert.throws(() => loadControlPlaneConfig({ ...base, SIDEGATE_BOOTSTRAP_FILE: yaml }), /bad\.yaml: not valid YAML/);
    assert.throws(() => loadControlPlaneConfig({ ...base, SIDEGATE_BOOTSTRAP_FILE: join(dir, "missing.json") }), /cannot read .*missing\.json.*ENOENT/);
  });
});

