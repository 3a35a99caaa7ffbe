import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startTestControlPlane, type TestControlPlane } from "../testing/harness";

type Json = Record<string, unknown>;
type ErrorJson = { error: { code: string; type: string; message: string; details?: { path: string; message: string }[] } };
const PROVIDER_KEY = "sk-upstream-ADMIN-TEST-" + "5f4e3d2c1b0a";

describe("admin HTTP API", () => {
  let t: TestControlPlane;
  const secrets: string[] = [];
  before(async () => {
    t = await startTestControlPlane();
    secrets.push(t.adminToken, t.sidecarToken, PROVIDER_KEY);
  });
  after(async () => t.close());

  const errorOf = (body: unknown): ErrorJson["error"] => (body as ErrorJson).error;
  const detailPaths = (body: unknown): string[] => (errorOf(body).details ?? []).map((d) => d.path);

  test("healthz needs no auth; everything else does (401, constant error shape)", async () => {
    const h = await t.admin("GET", "/healthz", undefined, { token: null });
    assert.equal(h.status, 200);
    assert.deepEqual(h.body, { status: "ok" });
    for (const token of [null, "wrong-token-wrong-token", t.adminToken + "x"]) {
      const r = await t.admin("GET", "/api/v1/teams", undefined, { token });
      assert.equal(r.status, 401);
      assert.equal(errorOf(r.body).code, "unauthorized");
      assert.equal(errorOf(r.body).type, "authentication_error");
      assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer/);
    }
    assert.equal((await t.admin("GET", "/api/v1/nope", undefined, { token: null })).status, 401, "unknown routes are not revealed");
  });

  test("404 unknown route or id, 405 wrong method with Allow", async () => {
    const r = await t.admin("GET", "/api/v1/nope");
    assert.equal(r.status, 404);
    assert.equal(errorOf(r.body).code, "not_found");
    assert.equal((await t.admin("GET", "/api/v1/teams/does-not-exist")).status, 404);
    assert.equal((await t.admin("DELETE", "/api/v1/keys/does-not-exist")).status, 404);
    const m = await t.admin("PATCH", "/api/v1/teams");
    assert.equal(m.status, 405);
    assert.equal(errorOf(m.body).code, "method_not_allowed");
    assert.equal(m.headers.get("allow"), "GET, POST");
  });

  test("415 without application/json, 400 invalid_json, 413 over 1 MiB", async () => {
    const u = await t.admin("POST", "/api/v1/teams", undefined, { raw: '{"name":"x"}', contentType: "text/plain" });
    assert.equal(u.status, 415);
    assert.equal(errorOf(u.body).code, "unsupported_media_type");
    const ok = await t.admin("POST", "/api/v1/teams", undefined, { raw: '{"name":"x"}', contentType: "application/json; charset=utf-8" });
    assert.equal(ok.status, 201);
    const j = await t.admin("POST", "/api/v1/teams", undefined, { raw: '{"name":' });
    assert.equal(j.status, 400);
    assert.equal(errorOf(j.body).code, "invalid_json");
    const big = await t.admin("POST", "/api/v1/teams", { name: "x", metadata: { a: "y".repeat(1024 * 1024) } });
    assert.equal(big.status, 413);
    assert.equal(errorOf(big.body).code, "payload_too_large");
  });

  test("validation errors carry field-level details", async () => {
    const a = await t.admin("POST", "/api/v1/teams", { name: "", extra: true, allowed_models: [1] });
    assert.equal(a.status, 400);
    assert.equal(errorOf(a.body).code, "validation_failed");
    assert.deepEqual(detailPaths(a.body).sort(), ["allowed_models.0", "extra", "name"]);
    const b = await t.admin("PUT", "/api/v1/teams/Not_Valid", { name: "x" });
    assert.deepEqual(detailPaths(b.body), ["id"]);
    const c = await t.admin("PUT", "/api/v1/deployments/d-bad", { provider: "openai", base_url: "ftp://example.com" });
    assert.equal(c.status, 400);
    assert.deepEqual(detailPaths(c.body), ["base_url"]);
    const d = await t.admin("PUT", "/api/v1/routes/some-model", { targets: [{ deployment_id: "missing" }] });
    assert.equal(d.status, 400);
    assert.deepEqual(detailPaths(d.body), ["targets.0.deployment_id"]);
    const e = await t.admin("POST", "/api/v1/keys", { team_id: "no-such-team" });
    assert.equal(e.status, 400);
    assert.deepEqual(detailPaths(e.body), ["team_id"]);
    const f = await t.admin("POST", "/api/v1/keys", { team_id: "x", secret: "not-a-key" });
    assert.deepEqual(detailPaths(f.body), ["secret"]);
    const g = await t.admin("GET", "/api/v1/usage?group_by=color");
    assert.equal(g.status, 400);
    assert.deepEqual(detailPaths(g.body), ["group_by"]);
    const h = await t.admin("GET", "/api/v1/usage/records?limit=0");
    assert.deepEqual(detailPaths(h.body), ["limit"]);
  });

  test("teams: POST, PUT create/replace, GET, DELETE (revokes keys); every mutation bumps the version", async () => {
    const v0 = await t.cp.store.policyVersion();
    const created = await t.admin("POST", "/api/v1/teams", { name: "Generated" });
    assert.equal(created.status, 201);
    assert.match(String((created.body as Json)["id"]), /^team_[0-9a-z]{16}$/);
    const put1 = await t.admin("PUT", "/api/v1/teams/alpha", { name: "Alpha", allowed_models: ["m1"], limits: { rpm: 5 }, metadata: { env: "ci" } });
    assert.equal(put1.status, 201);
    const put2 = await t.admin("PUT", "/api/v1/teams/alpha", { name: "Alpha 2" });
    assert.equal(put2.status, 200);
    assert.deepEqual((put2.body as Json)["allowed_models"], [], "PUT replaces the whole resource");
    assert.equal(await t.cp.store.policyVersion(), v0 + 3);
    const conflict = await t.admin("POST", "/api/v1/teams", { id: "alpha", name: "again" });
    assert.equal(conflict.status, 409);
    assert.equal(errorOf(conflict.body).code, "conflict");
    const one = (await t.admin("GET", "/api/v1/teams/alpha")).body as Json;
    assert.equal(one["name"], "Alpha 2");
    assert.match(String(one["created_at"]), /^\d{4}-\d\d-\d\dT/);
    const list = (await t.admin("GET", "/api/v1/teams")).body as { data: Json[] };
    assert.ok(list.data.some((x) => x["id"] === "alpha"));
    const key = (await t.admin("POST", "/api/v1/keys", { team_id: "alpha" })).body as Json;
    const del = await t.admin("DELETE", "/api/v1/teams/alpha");
    assert.equal(del.status, 200);
    assert.equal((del.body as Json)["revoked_keys"], 1);
    assert.equal(((await t.admin("GET", `/api/v1/keys/${String(key["id"])}`)).body as Json)["status"], "revoked");
    assert.equal((await t.admin("GET", "/api/v1/teams/alpha")).status, 404);
  });

  test("keys: the secret is returned once, never in list or get; import, expiry, revoke, filter", async () => {
    await t.admin("PUT", "/api/v1/teams/kt", { name: "Keys" });
    const res = await t.admin("POST", "/api/v1/keys", { team_id: "kt", name: "ci", allowed_models: ["m"], metadata: { a: "b" } });
    assert.equal(res.status, 201);
    const created = res.body as Json;
    const secret = String(created["key"]);
    secrets.push(secret);
    assert.match(secret, /^sk-sg-[A-Za-z0-9_-]{43}$/);
    assert.equal(created["display"], `sk-sg-…${secret.slice(-4)}`);
    assert.equal(created["status"], "active");
    assert.equal(created["hash"], undefined);
    const id = String(created["id"]);
    assert.match(id, /^key_/);
    for (const path of ["/api/v1/keys", `/api/v1/keys/${id}`, "/api/v1/keys?team_id=kt"]) {
      const r = await t.admin("GET", path);
      assert.equal(r.status, 200);
      const text = JSON.stringify(r.body);
      assert.ok(!text.includes(secret) && !text.includes(secret.slice(6, 30)), path);
      assert.ok(!text.includes('"hash"') && !text.includes('"key":'), path);
    }
    const filtered = (await t.admin("GET", "/api/v1/keys?team_id=kt")).body as { data: Json[] };
    assert.deepEqual(filtered.data.map((k) => k["id"]), [id]);
    const imported = "sk-imported_" + "A".repeat(30);
    const imp = await t.admin("POST", "/api/v1/keys", { id: "imported", team_id: "kt", secret: imported });
    assert.equal(imp.status, 201);
    assert.equal((imp.body as Json)["key"], imported);
    secrets.push(imported);
    assert.equal((await t.admin("POST", "/api/v1/keys", { id: "imported", team_id: "kt" })).status, 409);
    assert.equal((await t.admin("POST", "/api/v1/keys", { id: "dup-secret", team_id: "kt", secret: imported })).status, 409);
    const old = await t.admin("POST", "/api/v1/keys", { team_id: "kt", expires_at: "2001-01-01T00:00:00Z" });
    assert.equal((old.body as Json)["status"], "expired");
    secrets.push(String((old.body as Json)["key"]));
    const revoked = await t.admin("DELETE", `/api/v1/keys/${id}`);
    assert.equal(revoked.status, 200);
    assert.equal((revoked.body as Json)["status"], "revoked");
    assert.ok((revoked.body as Json)["revoked_at"]);
    assert.equal((await t.admin("DELETE", `/api/v1/keys/${id}`)).status, 200, "revoke is idempotent");
  });

  test("providers: secrets never returned and never stored in plaintext", async () => {
    const put = await t.admin("PUT", "/api/v1/providers/openai-main", { provider: "openai", secrets: { api_key: PROVIDER_KEY } });
    assert.equal(put.status, 201);
    assert.deepEqual(Object.keys(put.body as Json).sort(), ["created_at", "id", "provider", "secret_fields", "updated_at"]);
    assert.deepEqual((put.body as Json)["secret_fields"], ["api_key"]);
    assert.equal((await t.admin("PUT", "/api/v1/providers/openai-main", { provider: "openai", secrets: { api_key: PROVIDER_KEY } })).status, 200);
    const post = await t.admin("POST", "/api/v1/providers", { provider: "openai", secrets: { api_key: PROVIDER_KEY, org: "o-1" } });
    assert.equal(post.status, 201);
    assert.deepEqual((post.body as Json)["secret_fields"], ["api_key", "org"]);
    for (const path of ["/api/v1/providers", "/api/v1/providers/openai-main"]) {
      const r = await t.admin("GET", path);
      assert.equal(r.status, 200);
      assert.ok(!JSON.stringify(r.body).includes(PROVIDER_KEY), path);
    }
    const bad = await t.admin("PUT", "/api/v1/providers/p2", { provider: "openai", secrets: {} });
    assert.deepEqual(detailPaths(bad.body), ["secrets"]);
    for (const file of readdirSync(t.dataDir)) {
      const bytes = readFileSync(join(t.dataDir, file));
      assert.equal(bytes.indexOf(Buffer.from(PROVIDER_KEY)), -1, `provider key in ${file}`);
    }
    assert.equal((await t.admin("DELETE", `/api/v1/providers/${String((post.body as Json)["id"])}`)).status, 200);
  });

  test("deployments and routes, including model names with / : and .", async () => {
    await t.admin("PUT", "/api/v1/providers/cred-d", { provider: "openai", secrets: { api_key: PROVIDER_KEY } });
    const dep = await t.admin("PUT", "/api/v1/deployments/dep-1", {
      provider: "openai", base_url: "https://api.example.com/v1", credential_id: "cred-d", upstream_model: "gpt-4o", timeout_ms: 5000,
    });
    assert.equal(dep.status, 201);
    assert.equal((dep.body as Json)["credential_id"], "cred-d");
    const noCred = await t.admin("PUT", "/api/v1/deployments/dep-x", { provider: "openai", base_url: "http://h/v1", credential_id: "nope" });
    assert.deepEqual(detailPaths(noCred.body), ["credential_id"]);
    const gen = await t.admin("POST", "/api/v1/deployments", { provider: "openai", base_url: "http://127.0.0.1:9/v1" });
    assert.equal(gen.status, 201);
    assert.equal((gen.body as Json)["credential_id"], null);
    const route = await t.admin("PUT", "/api/v1/routes/org%2Fgpt-4o:2024.1", {
      strategy: "weighted", targets: [{ deployment_id: "dep-1", weight: 3 }, { deployment_id: String((gen.body as Json)["id"]), priority: 1 }],
    });
    assert.equal(route.status, 201);
    assert.equal((route.body as Json)["model"], "org/gpt-4o:2024.1");
    const got = await t.admin("GET", "/api/v1/routes/org/gpt-4o:2024.1");
    assert.equal(got.status, 200);
    assert.deepEqual((got.body as Json)["targets"], [
      { deployment_id: "dep-1", weight: 3, priority: 0 },
      { deployment_id: String((gen.body as Json)["id"]), weight: 1, priority: 1 },
    ]);
    assert.equal((await t.admin("PUT", "/api/v1/routes/org%2Fgpt-4o:2024.1", { targets: [{ deployment_id: "dep-1" }] })).status, 200);
    const list = (await t.admin("GET", "/api/v1/routes")).body as { data: Json[] };
    assert.ok(list.data.some((r) => r["model"] === "org/gpt-4o:2024.1"));
    assert.equal((await t.admin("DELETE", "/api/v1/routes/org%2Fgpt-4o%3A2024.1")).status, 200);
    assert.equal((await t.admin("GET", "/api/v1/routes/org/gpt-4o:2024.1")).status, 404);
    assert.equal((await t.admin("GET", "/api/v1/deployments/dep-1")).status, 200);
    assert.equal(((await t.admin("GET", "/api/v1/deployments")).body as { data: Json[] }).data.length >= 2, true);
    assert.equal((await t.admin("DELETE", "/api/v1/deployments/dep-1")).status, 200);
    assert.equal((await t.admin("DELETE", "/api/v1/deployments/dep-1")).status, 404);
  });

  test("routes carry a strategy, retry and timeout settings (validated)", async () => {
    await t.admin("PUT", "/api/v1/deployments/dep-r", { provider: "openai", base_url: "http://127.0.0.1:9/v1" });
    const put = await t.admin("PUT", "/api/v1/routes/resilient", {
      strategy: "lowest_latency",
      targets: [{ deployment_id: "dep-r" }],
      retry: { max_attempts: 4, retry_on: ["connect", "429", "5xx"], max_retry_after_ms: 2000 },
      timeouts: { first_token_ms: 30000, idle_ms: 10000, total_ms: 120000 },
    });
    assert.equal(put.status, 201);
    const got = (await t.admin("GET", "/api/v1/routes/resilient")).body as Json;
    assert.equal(got["strategy"], "lowest_latency");
    assert.deepEqual(got["retry"], { max_attempts: 4, retry_on: ["connect", "429", "5xx"], backoff_base_ms: 0, backoff_max_ms: 0, max_retry_after_ms: 2000 });
    assert.deepEqual(got["timeouts"], { connect_ms: 0, first_token_ms: 30000, idle_ms: 10000, total_ms: 120000 });
    const plain = (await t.admin("PUT", "/api/v1/routes/resilient", { targets: [{ deployment_id: "dep-r" }] })).body as Json;
    assert.deepEqual(plain["retry"], { max_attempts: 0, retry_on: [], backoff_base_ms: 0, backoff_max_ms: 0, max_retry_after_ms: 0 }, "0 = sidecar default");
    const bad = await t.admin("PUT", "/api/v1/routes/resilient", {
      strategy: "fastest", targets: [{ deployment_id: "dep-r" }], retry: { retry_on: ["sometimes"], max_attempts: 0 },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(detailPaths(bad.body).sort(), ["retry.max_attempts", "retry.retry_on.0", "strategy"]);
    assert.equal((await t.admin("DELETE", "/api/v1/routes/resilient")).status, 200);
  });

  test("deployments list direct_models; an entry is refused (409) when another deployment of the provider lists it", async () => {
    const a = await t.admin("PUT", "/api/v1/deployments/direct-a", { provider: "groq", base_url: "http://h/v1", direct_models: ["*"] });
    assert.equal(a.status, 201);
    assert.deepEqual((a.body as Json)["direct_models"], ["*"]);
    const b = await t.admin("PUT", "/api/v1/deployments/direct-b", { provider: "groq", base_url: "http://h2/v1", direct_models: ["llama-x", "*"] });
    assert.equal(b.status, 409);
    assert.equal(errorOf(b.body).code, "conflict");
    assert.deepEqual(detailPaths(b.body), ["direct_models"]);
    const exact = await t.admin("PUT", "/api/v1/deployments/direct-b", { provider: "groq", base_url: "http://h2/v1", direct_models: ["llama-x"] });
    assert.equal(exact.status, 201, "an exact entry may sit next to another deployment's wildcard");
    const again = await t.admin("PUT", "/api/v1/deployments/direct-a", { provider: "groq", base_url: "http://h/v1", direct_models: ["*", "other"] });
    assert.equal(again.status, 200, "a deployment may re-list its own entries");
    const bad = await t.admin("PUT", "/api/v1/deployments/direct-c", { provider: "groq", base_url: "http://h/v1", direct_models: ["has space", "x", "x"] });
    assert.equal(bad.status, 400);
    const plain = await t.admin("PUT", "/api/v1/deployments/dep-plain", { provider: "groq", base_url: "http://h/v1" });
    assert.deepEqual((plain.body as Json)["direct_models"], [], "not directly addressable by default");
    for (const id of ["direct-a", "direct-b", "dep-plain"]) assert.equal((await t.admin("DELETE", `/api/v1/deployments/${id}`)).status, 200);
  });

  test("usage answers a total row and an empty record list", async () => {
    const u = await t.admin("GET", "/api/v1/usage");
    assert.deepEqual(u.body, { data: [{ group: "total", requests: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: 0 }] });
    const g = await t.admin("GET", "/api/v1/usage?group_by=model&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z");
    assert.deepEqual(g.body, { data: [] });
    assert.deepEqual((await t.admin("GET", "/api/v1/usage/records?limit=5")).body, { data: [] });
  });

  test("openapi.json is OpenAPI 3.1 generated from the schemas", async () => {
    const r = await t.admin("GET", "/api/v1/openapi.json");
    assert.equal(r.status, 200);
    const doc = r.body as { openapi: string; paths: Record<string, Record<string, Json>> };
    assert.equal(doc.openapi, "3.1.0");
    const put = doc.paths["/api/v1/teams/{id}"]?.["put"] as { requestBody: { content: { "application/json": { schema: Json } } } };
    const schema = put.requestBody.content["application/json"].schema;
    assert.deepEqual(schema["required"], ["name"]);
    assert.equal(schema["additionalProperties"], false);
    assert.ok(doc.paths["/api/v1/routes/{model}"]?.["delete"]);
    assert.ok(doc.paths["/api/v1/usage"]?.["get"]);
  });

  test("metrics need no auth and hold no secrets", async () => {
    const res = await fetch(`${t.cp.httpUrl}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /sidegate_cp_admin_requests_total\{method="POST",route="teams.create",status="201"\} \d+/);
    assert.match(text, /sidegate_cp_policy_version \d+/);
    for (const s of secrets) assert.ok(!text.includes(s));
  });

  test("logs hold no admin token, sidecar token, provider key or key secret", () => {
    const logs = t.logs();
    assert.ok(logs.includes('"admin request"'), "admin requests were logged");
    for (const s of secrets) assert.ok(!logs.includes(s), "a secret leaked into the logs");
  });
});
