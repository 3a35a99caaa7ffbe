import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../io";
import { dispatch } from "../sidegate";
import { apiError, startFakeAdminApi, type FakeAdminApi } from "../testing/fake-admin-api";

let fake: FakeAdminApi;
let dir: string;
before(async () => {
  fake = await startFakeAdminApi();
  dir = mkdtempSync(join(tmpdir(), "sidegate-cli-"));
});
after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests.length = 0;
});

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  SIDEGATE_CP_HTTP: fake.url.replace("http://", ""),
  SIDEGATE_ADMIN_TOKEN: "adm-token-0123456789",
  ...extra,
});

async function run(argv: string[], e: NodeJS.ProcessEnv = env(), stdin = "") {
  const io = memoryIo(e, stdin);
  const { code } = await dispatch(argv, io);
  return { code, out: io.out, err: io.err };
}

test("teams list prints a table, --json the raw data", async () => {
  fake.setHandler(() => ({ status: 200, body: { data: [{ id: "demo", name: "Demo team", allowed_models: ["a", "b"], created_at: "2026-01-01T00:00:00Z" }] } }));
  const r = await run(["teams", "list"]);
  assert.equal(r.code, 0);
  assert.equal(r.out, "ID    NAME       ALLOWED MODELS  CREATED\ndemo  Demo team  a,b             2026-01-01T00:00:00Z\n");
  assert.equal(fake.requests[0]?.headers.authorization, "Bearer adm-token-0123456789");
  const j = await run(["teams", "list", "--json"]);
  assert.deepEqual(JSON.parse(j.out), [{ id: "demo", name: "Demo team", allowed_models: ["a", "b"], created_at: "2026-01-01T00:00:00Z" }]);
});

test("teams create / delete send the right requests", async () => {
  fake.setHandler((req) => ({ status: req.method === "POST" ? 201 : 200, body: { id: "eng" } }));
  assert.equal((await run(["teams", "create", "eng", "--name", "Engineering", "--models", "gpt-4o, mock-echo"])).code, 0);
  assert.deepEqual(fake.requests[0]?.body, { id: "eng", name: "Engineering", allowed_models: ["gpt-4o", "mock-echo"] });
  assert.equal((await run(["teams", "delete", "eng"])).code, 0);
  assert.equal(fake.requests[1]?.method, "DELETE");
  assert.equal(fake.requests[1]?.url, "/api/v1/teams/eng");
  const missing = await run(["teams", "create", "x"]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /missing required option --name/);
});

test("API errors print code, message and details on stderr, exit 1", async () => {
  fake.setHandler(() => apiError(409, "conflict", "team eng already exists", [{ path: "id", message: "taken" }]));
  const r = await run(["teams", "create", "eng", "--name", "E"]);
  assert.equal(r.code, 1);
  assert.equal(r.err, "error: conflict: team eng already exists\n  - id: taken\n");
  assert.equal(r.out, "");
});

test("keys create prints the secret once; keys list filters by team; revoke", async () => {
  fake.setHandler((req) =>
    req.method === "POST"
      ? { status: 201, body: { id: "k1", team_id: "eng", key: "sk-sg-SECRETSECRETSECRETSECRET", display: "sk-sg-…CRET" } }
      : { status: 200, body: { data: [{ id: "k1", team_id: "eng", status: "active", display: "sk-sg-…CRET" }] } },
  );
  const c = await run(["keys", "create", "--team", "eng", "--id", "k1", "--models", "mock-echo"]);
  assert.equal(c.code, 0);
  assert.deepEqual(fake.requests[0]?.body, { team_id: "eng", id: "k1", allowed_models: ["mock-echo"] });
  assert.equal(c.out.split("sk-sg-SECRETSECRETSECRETSECRET").length, 2, "secret printed exactly once");
  assert.match(c.out, /shown only once/);
  const l = await run(["keys", "list", "--team", "eng"]);
  assert.equal(fake.requests[1]?.url, "/api/v1/keys?team_id=eng");
  assert.match(l.out, /k1\s+eng\s+-\s+active\s+sk-sg-…CRET/);
  assert.ok(!l.out.includes("SECRETSECRET"));
  await run(["keys", "revoke", "k1"]);
  assert.equal(fake.requests[2]?.method, "DELETE");
  assert.equal(fake.requests[2]?.url, "/api/v1/keys/k1");
});

test("credentials set reads the key from an env var or stdin, never argv", async () => {
  fake.setHandler(() => ({ status: 200, body: { id: "openai", provider: "openai", secret_fields: ["api_key"] } }));
  const r = await run(["credentials", "set", "openai", "--provider", "openai", "--api-key-env", "MY_KEY"], env({ MY_KEY: "sk-upstream-1" }));
  assert.equal(r.code, 0);
  assert.equal(fake.requests[0]?.method, "PUT");
  assert.equal(fake.requests[0]?.url, "/api/v1/providers/openai");
  assert.deepEqual(fake.requests[0]?.body, { provider: "openai", secrets: { api_key: "sk-upstream-1" } });
  assert.ok(!r.out.includes("sk-upstream-1"));

  const s = await run(["credentials", "set", "oa2", "--provider", "openai", "--api-key-stdin"], env(), "sk-from-stdin\n");
  assert.equal(s.code, 0);
  assert.deepEqual(fake.requests[1]?.body, { provider: "openai", secrets: { api_key: "sk-from-stdin" } });

  const unset = await run(["credentials", "set", "x", "--provider", "openai", "--api-key-env", "NOPE"]);
  assert.equal(unset.code, 2);
  assert.match(unset.err, /NOPE is not set/);
  const plain = await run(["credentials", "set", "x", "--provider", "openai", "--api-key", "sk-plain"]);
  assert.equal(plain.code, 2);
  assert.equal(fake.requests.length, 2, "nothing sent for rejected invocations");
});

test("routes set encodes model names and builds priority targets", async () => {
  fake.setHandler(() => ({ status: 200, body: {} }));
  assert.equal((await run(["routes", "set", "openai/gpt-4o", "--deployment", "a", "--deployment", "b"])).code, 0);
  assert.equal(fake.requests[0]?.url, "/api/v1/routes/openai%2Fgpt-4o");
  assert.deepEqual(fake.requests[0]?.body, {
    strategy: "priority",
    targets: [
      { deployment_id: "a", weight: 1, priority: 0 },
      { deployment_id: "b", weight: 1, priority: 1 },
    ],
  });
  await run(["routes", "set", "m", "--strategy", "weighted", "--deployment", "a:3", "--deployment", "b:1"]);
  assert.deepEqual((fake.requests[1]?.body as { targets: unknown }).targets, [
    { deployment_id: "a", weight: 3, priority: 0 },
    { deployment_id: "b", weight: 1, priority: 0 },
  ]);
  assert.equal((await run(["routes", "set", "m"])).code, 2);
});

test("deployments set builds the body from flags", async () => {
  fake.setHandler(() => ({ status: 201, body: {} }));
  const r = await run(["deployments", "set", "oa", "--provider", "openai", "--base-url", "https://api.openai.com/v1", "--upstream-model", "gpt-4o", "--credential", "openai"]);
  assert.equal(r.code, 0);
  assert.equal(fake.requests[0]?.url, "/api/v1/deployments/oa");
  assert.deepEqual(fake.requests[0]?.body, { provider: "openai", base_url: "https://api.openai.com/v1", upstream_model: "gpt-4o", credential_id: "openai" });
  await run(["deployments", "set", "oa", "--provider", "openai", "--base-url", "https://api.openai.com/v1", "--direct-models", "gpt-4o-mini, *"]);
  assert.deepEqual(fake.requests[1]?.body, { provider: "openai", base_url: "https://api.openai.com/v1", direct_models: ["gpt-4o-mini", "*"] });
});

test("admin token: --admin-token beats $SIDEGATE_ADMIN_TOKEN beats <data-dir>/admin-token", async () => {
  writeFileSync(join(dir, "admin-token"), "file-token-0123456789\n", { mode: 0o600 });
  fake.setHandler(() => ({ status: 200, body: { data: [] } }));
  const base = { SIDEGATE_CP_HTTP: fake.url };
  await run(["teams", "list", "--data-dir", dir], base);
  assert.equal(fake.requests[0]?.headers.authorization, "Bearer file-token-0123456789");
  await run(["teams", "list"], { ...base, SIDEGATE_DATA_DIR: dir, SIDEGATE_ADMIN_TOKEN: "env-token" });
  assert.equal(fake.requests[1]?.headers.authorization, "Bearer env-token");
  await run(["teams", "list", "--admin-token", "flag-token"], { ...base, SIDEGATE_ADMIN_TOKEN: "env-token" });
  assert.equal(fake.requests[2]?.headers.authorization, "Bearer flag-token");
});

test("an unreachable admin API exits 1 with a clear message", async () => {
  const r = await run(["teams", "list"], { SIDEGATE_CP_HTTP: "127.0.0.1:1", SIDEGATE_ADMIN_TOKEN: "t" });
  assert.equal(r.code, 1);
  assert.match(r.err, /^error: cannot reach the admin API at http:\/\/127\.0\.0\.1:1/);
});

test("keys rotate posts the grace period and prints the new secret once", async () => {
  fake.setHandler(() => ({ status: 200, body: { id: "k1", key: "sk-sg-NEWSECRET", previous_secrets_expire_at: ["2026-12-04T00:00:00.000Z"] } }));
  const r = await run(["keys", "rotate", "k1", "--grace-seconds", "60"]);
  assert.equal(r.code, 0);
  assert.equal(fake.requests[0]?.url, "/api/v1/keys/k1/rotate");
  assert.deepEqual(fake.requests[0]?.body, { grace_seconds: 60 });
  assert.match(r.out, /sk-sg-NEWSECRET/);
  assert.match(r.out, /keeps working until 2026-12-04T00:00:00.000Z/);
});

test("admin-tokens create sends role and teams; list never shows secrets", async () => {
  fake.setHandler((req) => req.method === "POST"
    ? { status: 201, body: { id: "adm_1", role: "team_admin", token: "sga-SECRET" } }
    : { status: 200, body: { data: [{ id: "adm_1", name: "", role: "team_admin", teams: ["a"], status: "active", display: "sga-…CRET", created_at: "x" }] } });
  const c = await run(["admin-tokens", "create", "--role", "team_admin", "--teams", "a,b"]);
  assert.equal(c.code, 0);
  assert.deepEqual(fake.requests[0]?.body, { role: "team_admin", teams: ["a", "b"] });
  assert.match(c.out, /sga-SECRET/);
  const l = await run(["admin-tokens", "list"]);
  assert.match(l.out, /team_admin/);
  assert.ok(!l.out.includes("sga-SECRET"));
});
