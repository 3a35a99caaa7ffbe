/**
 * The sidecar against a protocol-level fake of the control plane: it produces what the real one never sends
 * (key deltas, invalid snapshots, a Report stream cut before the ack) to test the sidecar's side of the contract.
 * End-to-end behaviour with the real control plane lives in test/integration/.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import type { PolicySnapshot } from "../../proto";
import { loadSidecarConfig } from "../../sidecar/src/config/load";
import { startSidecar, type SidecarHandle } from "../../sidecar/src/main";
import { FakeControlPlane } from "../fakes/fake-control-plane";
import { FakeUpstream, USAGE, expectedStream } from "../fakes/fake-upstream";

const SIDECAR_TOKEN = "sidecar-token-secret-1";
const UPSTREAM_KEY = "sk-upstream-secret-abc";
const KEY = "sk-sg-test-key-all-models-000000000000000000";
const KEY_B = "sk-sg-test-key-only-model-b-0000000000000000";
const KEY_EXPIRED = "sk-sg-test-key-expired-00000000000000000000";
const SECRETS = [SIDECAR_TOKEN, UPSTREAM_KEY, KEY, KEY_B, KEY_EXPIRED];

const sha = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();
const key = (id: string, secret: string, extra: { allowed_models?: string[]; expires_at_ms?: number } = {}) => ({
  id, hash: sha(secret), team_id: "team-a", user_id: "", project_id: "", allowed_models: extra.allowed_models ?? [],
  expires_at_ms: extra.expires_at_ms ?? 0, metadata: {}, display: `sk-sg-…${secret.slice(-4)}`, previous_hashes: [],
});
const deployment = (id: string, baseUrl: string, extra: { upstream_model?: string; credential_id?: string; timeout_ms?: number; direct_models?: string[] } = {}) => ({
  id, provider: "openai", base_url: baseUrl, upstream_model: extra.upstream_model ?? "", credential_id: extra.credential_id ?? "",
  region: "", options: {}, timeout_ms: extra.timeout_ms ?? 0, direct_models: extra.direct_models ?? [],
});
const route = (model: string, deploymentId: string) => ({ model, strategy: "priority", targets: [{ deployment_id: deploymentId, weight: 1, priority: 0 }] });

function snapshot(upstreamPort: number): PolicySnapshot {
  const base = `http://127.0.0.1:${upstreamPort}/v1`;
  return {
    teams: [{ id: "team-a", name: "A", allowed_models: [], metadata: {} }],
    keys: [key("key-all", KEY), key("key-b", KEY_B, { allowed_models: ["model-b"] }), key("key-old", KEY_EXPIRED, { expires_at_ms: 1000 })],
    routes: ["mock-model", "model-b", "rate-limited", "html", "endless"].map((m) => route(m, "dep-up"))
      .concat([route("alias", "dep-alias"), route("dead", "dep-dead"), route("slow", "dep-slow")]),
    deployments: [
      deployment("dep-up", base, { credential_id: "cred-1" }),
      deployment("dep-alias", base, { upstream_model: "real-model" }),
      deployment("dep-dead", "http://127.0.0.1:1/v1"),
      deployment("dep-slow", base, { timeout_ms: 300 }),
    ],
    credentials: [{ id: "cred-1", provider: "openai", secrets: { api_key: UPSTREAM_KEY } }],
    prices: [{ model: "mock-model", provider: "openai", input_per_mtok: 1, output_per_mtok: 2, cached_input_per_mtok: 0, cache_write_per_mtok: 0, reasoning_per_mtok: 0 }],
    price_catalog_version: "test",
    global_model_limits: {},
  };
}

const logs: string[] = [];
const logger = pino({ level: "debug", redact: { paths: ["authorization"], censor: "x" } }, new Writable({
  write(chunk: Buffer, _enc, cb) { logs.push(chunk.toString()); cb(); },
}));

let cp: FakeControlPlane;
let upstream: FakeUpstream;
let sidecar: SidecarHandle;

async function chat(body: unknown, opts: { key?: string | null; headers?: Record<string, string>; raw?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...opts.headers };
  if (opts.key !== null) headers["authorization"] = `Bearer ${opts.key ?? KEY}`;
  const res = await fetch(`${sidecar.url}/v1/chat/completions`, { method: "POST", headers, body: opts.raw ?? JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
const msg = [{ role: "user", content: "hi" }];
const errorCode = (text: string): string => (JSON.parse(text) as { error: { code: string } }).error.code;

describe("sidecar end to end", () => {
  before(async () => {
    upstream = new FakeUpstream();
    await upstream.start();
    cp = new FakeControlPlane(SIDECAR_TOKEN);
    await cp.start();
    cp.publish(7, snapshot(upstream.port));
    const config = loadSidecarConfig({}, {
      port: 0, metricsPort: -1, controlPlaneTarget: `127.0.0.1:${cp.port}`, sidecarToken: SIDECAR_TOKEN,
      sidecarId: "sc-test", maxBodyBytes: 4096, usageFlushMs: 20, reconnectMinMs: 20, reconnectMaxMs: 100,
    });
    sidecar = await startSidecar(config, { logger });
    await sidecar.waitReady(5000);
  });

  after(async () => {
    await sidecar.close({ deadlineMs: 2000 });
    await cp.stop();
    await upstream.stop();
    const all = logs.join("");
    for (const secret of SECRETS) assert.ok(!all.includes(secret), "a secret leaked into the logs");
  });

  it("relays a non-stream completion byte for byte and forwards the client's body unchanged", async () => {
    const body = JSON.stringify({ model: "mock-model", messages: msg, max_tokens: 5 });
    const res = await chat(null, { raw: body, headers: { "x-request-id": "req-abc.1" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-request-id"), "req-abc.1");
    assert.deepEqual((JSON.parse(res.text) as { usage: unknown }).usage, USAGE);
    const seen = upstream.seen.at(-1);
    assert.equal(seen?.body, body);
    assert.equal(seen?.headers["authorization"], `Bearer ${UPSTREAM_KEY}`);
  });

  it("rewrites the model for a deployment alias", async () => {
    const res = await chat({ model: "alias", messages: msg });
    assert.equal(res.status, 200);
    assert.equal(upstream.seen.at(-1)?.json["model"], "real-model");
    assert.equal(upstream.seen.at(-1)?.headers["authorization"], undefined);
  });

  it("streams, injecting include_usage upstream and stripping the usage chunk", async () => {
    const res = await chat({ model: "mock-model", messages: msg, stream: true });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    assert.deepEqual(upstream.seen.at(-1)?.json["stream_options"], { include_usage: true });
    assert.equal(res.text, expectedStream("mock-model", false));
    assert.ok(res.text.endsWith("data: [DONE]\n\n"));
  });

  it("streams with the usage chunk when the client asked for it", async () => {
    const res = await chat({ model: "mock-model", messages: msg, stream: true, stream_options: { include_usage: true } });
    assert.equal(res.status, 200);
    assert.equal(res.text, expectedStream("mock-model", true));
  });

  it("reports usage records with tokens and cost", async () => {
    const res = await chat({ model: "mock-model", messages: msg }, { headers: { "x-request-id": "usage-check-1" } });
    assert.equal(res.status, 200);
    await cp.waitFor(() => cp.records.some((r) => r.request_id === "usage-check-1"));
    const rec = cp.records.find((r) => r.request_id === "usage-check-1");
    assert.equal(rec?.prompt_tokens, 9);
    assert.equal(rec?.completion_tokens, 2);
    assert.equal(rec?.key_id, "key-all");
    assert.equal(rec?.deployment_id, "dep-up");
    assert.equal(rec?.status, 200);
    assert.equal(rec?.endpoint, "/v1/chat/completions");
    assert.ok(Math.abs((rec?.cost_usd ?? 0) - 13 / 1e6) < 1e-12);
    assert.equal(cp.authHeaders.every((h) => h === `Bearer ${SIDECAR_TOKEN}`), true);
  });

  it("re-sends an unacked batch after the report stream is cut", async () => {
    const before = cp.reportConnections.length;
    cp.cutNextBatch = true;
    const res = await chat({ model: "mock-model", messages: msg, stream: true }, { headers: { "x-request-id": "resend-1" } });
    assert.equal(res.status, 200);
    await cp.waitFor(() => cp.records.some((r) => r.request_id === "resend-1"));
    const copies = cp.batches.filter((b) => b.records.some((r) => r.request_id === "resend-1"));
    assert.ok(copies.length >= 2, "batch was sent again");
    assert.equal(new Set(copies.map((b) => `${b.producer_id}/${b.seq}`)).size, 1, "same producer and seq");
    assert.ok(cp.reportConnections.length > before);
    const rec = cp.records.find((r) => r.request_id === "resend-1");
    assert.equal(rec?.prompt_tokens, 9);
    assert.equal(rec?.stream, true);
  });

  it("rejects missing, unknown and expired keys with 401", async () => {
    const missing = await chat({ model: "mock-model", messages: msg }, { key: null });
    assert.equal(missing.status, 401);
    assert.equal(errorCode(missing.text), "missing_api_key");
    assert.ok(missing.headers.get("x-request-id"));
    const unknown = await chat({ model: "mock-model", messages: msg }, { key: "sk-sg-nope" });
    assert.equal(errorCode(unknown.text), "invalid_api_key");
    const expired = await chat({ model: "mock-model", messages: msg }, { key: KEY_EXPIRED });
    assert.equal(expired.status, 401);
    assert.equal(errorCode(expired.text), "key_expired");
    const badFirst = await chat(null, { key: null, raw: "{not json" });
    assert.equal(badFirst.status, 401, "auth is checked before the body");
  });

  it("answers 403 for a model the key may not use and 404 for an unknown model", async () => {
    const forbidden = await chat({ model: "mock-model", messages: msg }, { key: KEY_B });
    assert.equal(forbidden.status, 403);
    const err = JSON.parse(forbidden.text) as { error: { type: string; code: string; param: string } };
    assert.deepEqual([err.error.type, err.error.code, err.error.param], ["permission_error", "model_not_allowed", "model"]);
    assert.equal((await chat({ model: "model-b", messages: msg }, { key: KEY_B })).status, 200);
    const missing = await chat({ model: "nope", messages: msg });
    assert.equal(missing.status, 404);
    assert.equal(errorCode(missing.text), "model_not_found");
  });

  it("validates the body: 400 invalid_json, invalid_request with param, 415, 413", async () => {
    const bad = await chat(null, { raw: "{nope" });
    assert.equal(bad.status, 400);
    assert.equal(errorCode(bad.text), "invalid_json");
    const noMessages = await chat({ model: "mock-model", messages: [] });
    assert.equal(noMessages.status, 400);
    assert.equal((JSON.parse(noMessages.text) as { error: { param: string } }).error.param, "messages");
    const badTokens = await chat({ model: "mock-model", messages: msg, max_tokens: -1 });
    assert.equal((JSON.parse(badTokens.text) as { error: { param: string } }).error.param, "max_tokens");
    const media = await chat({ model: "mock-model", messages: msg }, { headers: { "content-type": "text/plain" } });
    assert.equal(media.status, 415);
    const big = await chat({ model: "mock-model", messages: [{ role: "user", content: "x".repeat(5000) }] });
    assert.equal(big.status, 413);
    assert.equal(errorCode(big.text), "request_too_large");
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${sidecar.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 5; i++) req.write("x".repeat(1000));
      req.end();
    });
    assert.equal(chunked, 413, "limit enforced while streaming the body");
  });

  it("relays upstream errors and maps transport failures", async () => {
    const limited = await chat({ model: "rate-limited", messages: msg });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "7");
    assert.equal(errorCode(limited.text), "rate_limit");
    const html = await chat({ model: "html", messages: msg });
    assert.equal(html.status, 502);
    assert.equal(errorCode(html.text), "upstream_invalid_response");
    const dead = await chat({ model: "dead", messages: msg });
    assert.equal(dead.status, 502);
    assert.equal(errorCode(dead.text), "upstream_unreachable");
    const slow = await chat({ model: "slow", messages: msg });
    assert.equal(slow.status, 504);
    assert.equal(errorCode(slow.text), "upstream_timeout");
    assert.ok(slow.headers.get("x-request-id"));
  });

  it("aborts the upstream request when the client disconnects mid-stream and still records usage", async () => {
    const url = new URL(`${sidecar.url}/v1/chat/completions`);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(url, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "x-request-id": "abort-1" } }, (res) => {
        res.once("data", () => { req.destroy(); resolve(); });
      });
      req.on("error", () => undefined);
      req.end(JSON.stringify({ model: "endless", messages: msg, stream: true }));
      setTimeout(() => reject(new Error("no data")), 3000);
    });
    await upstream.endlessClosed;
    await cp.waitFor(() => cp.records.some((r) => r.request_id === "abort-1"));
    const rec = cp.records.find((r) => r.request_id === "abort-1");
    assert.equal(rec?.status, 499);
    assert.equal(rec?.error_code, "client_closed_request");
  });

  it("serves models, health, readiness, 404 and 405", async () => {
    const models = await fetch(`${sidecar.url}/v1/models`, { headers: { authorization: `Bearer ${KEY_B}` } });
    assert.equal(models.status, 200);
    const list = (await models.json()) as { object: string; data: Array<{ id: string; object: string }> };
    assert.equal(list.object, "list");
    assert.deepEqual(list.data.map((m) => m.id), ["model-b"]);
    assert.equal((await fetch(`${sidecar.url}/v1/models`)).status, 401);
    const health = await fetch(`${sidecar.url}/healthz`);
    assert.deepEqual(await health.json(), { status: "ok" });
    const ready = await fetch(`${sidecar.url}/readyz`);
    assert.equal(ready.status, 200);
    const nf = await fetch(`${sidecar.url}/v2/nothing`);
    assert.equal(nf.status, 404);
    assert.equal(errorCode(await nf.text()), "not_found");
    assert.ok(nf.headers.get("x-request-id"));
    const wrong = await fetch(`${sidecar.url}/v1/chat/completions`);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "POST");
    assert.equal(errorCode(await wrong.text()), "method_not_allowed");
    const metrics = await fetch(`http://127.0.0.1:${sidecar.metricsPort}/metrics`);
    const text = await metrics.text();
    assert.match(text, /sidegate_sidecar_requests_total\{route="chat_completions",status="200",code=""\} \d+/);
    assert.match(text, /sidegate_sidecar_policy_version 7/);
    // Upstream latency (tallied on the hot path, rendered at scrape time) and in-flight (read at scrape time).
    assert.match(text, /sidegate_sidecar_upstream_latency_seconds_bucket\{le="\+Inf",provider="openai"\} [1-9]\d*\n/);
    assert.match(text, /sidegate_sidecar_upstream_latency_seconds_count\{provider="openai"\} [1-9]\d*\n/);
    assert.match(text, /sidegate_sidecar_in_flight_requests 0\n/);
  });

  it("applies a delta on the held version and keeps the last good policy on an invalid update", async () => {
    const NEW_KEY = "sk-sg-test-key-added-by-delta-000000000000";
    cp.push({ version: 8, issued_at_ms: Date.now(), delta: { base_version: 7, keys_upserted: [key("key-new", NEW_KEY)], keys_removed: ["key-b"] } });
    await cp.waitFor(() => logs.some((l) => l.includes('"version":8') && l.includes("policy applied")));
    assert.equal((await chat({ model: "mock-model", messages: msg }, { key: NEW_KEY })).status, 200);
    assert.equal((await chat({ model: "model-b", messages: msg }, { key: KEY_B })).status, 401, "removed key");
    const bad = snapshot(upstream.port);
    bad.keys.push({ ...key("broken", "x"), hash: Buffer.alloc(3) });
    cp.push({ version: 9, issued_at_ms: Date.now(), snapshot: bad });
    await cp.waitFor(() => logs.some((l) => l.includes("policy update rejected")));
    const ready = (await (await fetch(`${sidecar.url}/readyz`)).json()) as { policy_version: number };
    assert.equal(ready.policy_version, 8);
    assert.equal((await chat({ model: "mock-model", messages: msg }, { key: NEW_KEY })).status, 200);
    const watchesBefore = cp.watchRequests.length;
    cp.push({ version: 10, issued_at_ms: Date.now(), delta: { base_version: 3, keys_upserted: [], keys_removed: [] } });
    await cp.waitFor(() => cp.watchRequests.length > watchesBefore);
    assert.equal(cp.watchRequests.at(-1)?.known_version, 8, "resubscribed with the held version");
  });

  it("is not ready (503) before the first snapshot", async () => {
    const config = loadSidecarConfig({}, { port: 0, metricsPort: 0, controlPlaneTarget: "127.0.0.1:1", reconnectMinMs: 50, reconnectMaxMs: 100 });
    const lonely = await startSidecar(config, { logger });
    try {
      assert.equal(lonely.isReady(), false);
      assert.equal(lonely.metricsPort, 0);
      const res = await fetch(`${lonely.url}/readyz`);
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as { reason: string }).reason, "no_policy_snapshot");
      const chatRes = await fetch(`${lonely.url}/v1/chat/completions`, { method: "POST", body: "{}", headers: { authorization: `Bearer ${KEY}` } });
      assert.equal(chatRes.status, 503);
      assert.equal(errorCode(await chatRes.text()), "not_ready");
    } finally {
      const closing = lonely.close({ deadlineMs: 200 });
      assert.equal(lonely.isReady(), false);
      await closing;
    }
  });
});
