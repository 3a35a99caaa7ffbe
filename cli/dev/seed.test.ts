import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createAdminClient } from "../admin-client";
import { apiError, startFakeAdminApi, type FakeAdminApi, type FakeReply, type RecordedRequest } from "../testing/fake-admin-api";
import { OPENAI_MODELS, seedDevData } from "./seed";

/** Keys behave like the contract says: DELETE revokes, a revoked key keeps its id (POST again → 409). */
function keyStore() {
  const keys = new Map<string, { id: string; team_id: string; status: string; display: string }>();
  const puts: string[] = [];
  const handler = (req: RecordedRequest): FakeReply => {
    if (req.method === "PUT") {
      puts.push(decodeURIComponent(req.url));
      return { status: 200, body: {} };
    }
    if (req.method === "GET" && req.url.startsWith("/api/v1/keys")) return { status: 200, body: { data: [...keys.values()] } };
    if (req.method === "POST" && req.url === "/api/v1/keys") {
      const b = req.body as { id: string; team_id: string; secret: string };
      if (keys.has(b.id)) return apiError(409, "conflict", `key ${b.id} already exists`);
      keys.set(b.id, { id: b.id, team_id: b.team_id, status: "active", display: `sk-sg-…${b.secret.slice(-4)}` });
      return { status: 201, body: { id: b.id, key: b.secret } };
    }
    if (req.method === "DELETE") {
      const k = keys.get(decodeURIComponent(req.url.split("/").pop() ?? ""));
      if (!k) return apiError(404, "not_found", "no such key");
      k.status = "revoked";
      return { status: 200, body: k };
    }
    return apiError(404, "not_found", req.url);
  };
  return { keys, puts, handler };
}

let fake: FakeAdminApi;
before(async () => {
  fake = await startFakeAdminApi();
});
after(() => fake.close());

const KEY_A = "sk-sg-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
const KEY_B = "sk-sg-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";

test("seeds team, mock deployment, route and the demo key; a restart changes nothing", async () => {
  const store = keyStore();
  fake.setHandler(store.handler);
  const client = createAdminClient({ baseUrl: fake.url, token: "adm" });
  const first = await seedDevData(client, { mockBaseUrl: "http://127.0.0.1:4010/v1", demoKey: KEY_A });
  assert.deepEqual(first, { demoKeyId: "demo", models: ["mock-echo"] });
  assert.deepEqual(store.puts, ["/api/v1/teams/demo", "/api/v1/deployments/mock", "/api/v1/routes/mock-echo"]);
  const dep = fake.requests.find((r) => r.url === "/api/v1/deployments/mock");
  assert.deepEqual(dep?.body, { provider: "openai", base_url: "http://127.0.0.1:4010/v1" });
  const post = fake.requests.find((r) => r.method === "POST");
  assert.deepEqual(post?.body, { id: "demo", team_id: "demo", name: "demo", secret: KEY_A });

  fake.requests.length = 0;
  const again = await seedDevData(client, { mockBaseUrl: "http://127.0.0.1:4010/v1", demoKey: KEY_A });
  assert.equal(again.demoKeyId, "demo");
  assert.equal(fake.requests.filter((r) => r.method === "POST" || r.method === "DELETE").length, 0);
});

test("a changed demo key revokes the old one and creates the new one", async () => {
  const store = keyStore();
  fake.setHandler(store.handler);
  const client = createAdminClient({ baseUrl: fake.url, token: "adm" });
  await seedDevData(client, { mockBaseUrl: "http://m/v1", demoKey: KEY_A });
  const r = await seedDevData(client, { mockBaseUrl: "http://m/v1", demoKey: KEY_B });
  assert.notEqual(r.demoKeyId, "demo", "revoked id stays taken, so a fresh id is used");
  assert.match(r.demoKeyId, /^demo-/);
  assert.equal(store.keys.get("demo")?.status, "revoked");
  const active = [...store.keys.values()].filter((k) => k.status === "active");
  assert.deepEqual(active.map((k) => k.display), ["sk-sg-…bbb2"]);
  // and back again: the B key is revoked, A comes back under yet another id
  const back = await seedDevData(client, { mockBaseUrl: "http://m/v1", demoKey: KEY_A });
  assert.deepEqual([...store.keys.values()].filter((k) => k.status === "active").map((k) => [k.id, k.display]), [[back.demoKeyId, "sk-sg-…aaa1"]]);
});

test("with an OpenAI key: credential, deployments and one route per model", async () => {
  const store = keyStore();
  fake.setHandler(store.handler);
  const client = createAdminClient({ baseUrl: fake.url, token: "adm" });
  fake.requests.length = 0;
  const r = await seedDevData(client, { mockBaseUrl: "http://m/v1", demoKey: KEY_A, openai: { apiKey: "sk-real", baseUrl: "https://api.openai.com/v1" } });
  assert.deepEqual(r.models, ["mock-echo", ...OPENAI_MODELS]);
  const cred = fake.requests.find((q) => q.url === "/api/v1/providers/openai");
  assert.deepEqual(cred?.body, { provider: "openai", secrets: { api_key: "sk-real" } });
  const generic = fake.requests.find((q) => q.url === "/api/v1/deployments/openai");
  assert.deepEqual(generic?.body, { provider: "openai", base_url: "https://api.openai.com/v1", credential_id: "openai" });
  for (const model of OPENAI_MODELS) {
    const d = fake.requests.find((q) => decodeURIComponent(q.url) === `/api/v1/deployments/openai-${model}`);
    assert.equal((d?.body as { upstream_model: string }).upstream_model, model);
    const route = fake.requests.find((q) => decodeURIComponent(q.url) === `/api/v1/routes/${model}`);
    assert.deepEqual(route?.body, { targets: [{ deployment_id: `openai-${model}` }] });
  }
});
