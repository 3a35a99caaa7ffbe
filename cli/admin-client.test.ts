import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { AdminApiError, AdminUnreachableError, createAdminClient, normalizeBaseUrl, seg } from "./admin-client";
import { apiError, startFakeAdminApi, type FakeAdminApi } from "./testing/fake-admin-api";

let fake: FakeAdminApi;
before(async () => {
  fake = await startFakeAdminApi();
});
after(() => fake.close());

test("normalizeBaseUrl accepts host:port with or without scheme", () => {
  assert.equal(normalizeBaseUrl("127.0.0.1:4100"), "http://127.0.0.1:4100");
  assert.equal(normalizeBaseUrl("http://127.0.0.1:4100/"), "http://127.0.0.1:4100");
  assert.equal(normalizeBaseUrl("https://cp.example.com"), "https://cp.example.com");
  assert.equal(seg("openai/gpt-4o:mini"), "openai%2Fgpt-4o%3Amini");
});

test("requests carry the bearer token and a JSON body", async () => {
  fake.setHandler(() => ({ status: 201, body: { id: "eng", name: "Eng" } }));
  const client = createAdminClient({ baseUrl: fake.url.replace("http://", ""), token: "tok-123" });
  const res = await client.request<{ id: string }>("POST", "/api/v1/teams", { id: "eng", name: "Eng" });
  assert.equal(res.id, "eng");
  const last = fake.requests.at(-1);
  assert.equal(last?.method, "POST");
  assert.equal(last?.url, "/api/v1/teams");
  assert.equal(last?.headers.authorization, "Bearer tok-123");
  assert.equal(last?.headers["content-type"], "application/json");
  assert.deepEqual(last?.body, { id: "eng", name: "Eng" });
});

test("list unwraps {data:[...]}", async () => {
  fake.setHandler(() => ({ status: 200, body: { data: [{ id: "a" }, { id: "b" }] } }));
  const client = createAdminClient({ baseUrl: fake.url });
  assert.deepEqual(await client.list("/api/v1/teams"), [{ id: "a" }, { id: "b" }]);
  assert.equal(fake.requests.at(-1)?.headers.authorization, undefined);
  fake.setHandler(() => ({ status: 200, body: { nope: true } }));
  await assert.rejects(client.list("/api/v1/teams"), AdminApiError);
});

test("error envelopes become AdminApiError with field details", async () => {
  fake.setHandler(() => apiError(400, "validation_failed", "The request body is invalid.", [{ path: "name", message: "Required" }]));
  const client = createAdminClient({ baseUrl: fake.url, token: "t" });
  await assert.rejects(client.request("POST", "/api/v1/teams", {}), (err: unknown) => {
    assert.ok(err instanceof AdminApiError);
    assert.equal(err.status, 400);
    assert.equal(err.code, "validation_failed");
    assert.deepEqual(err.details, [{ path: "name", message: "Required" }]);
    return true;
  });
  fake.setHandler(() => ({ status: 502, body: "bad gateway" }));
  await assert.rejects(client.request("GET", "/x"), (err: unknown) => err instanceof AdminApiError && err.code === "http_502");
});

test("an unreachable API is reported as such", async () => {
  const client = createAdminClient({ baseUrl: "127.0.0.1:1" });
  await assert.rejects(client.request("GET", "/api/v1/teams"), (err: unknown) => {
    assert.ok(err instanceof AdminUnreachableError);
    assert.match(err.message, /cannot reach the admin API at http:\/\/127\.0\.0\.1:1/);
    return true;
  });
});
