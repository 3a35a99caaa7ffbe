import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import {
  METADATA_AUTHORIZATION, METADATA_SIDECAR_ID, serviceDefinition, type LeaseRequest, type LeaseResponse, type PolicyUpdate, type ReportAck, type UsageBatch,
} from "../../../proto";
import { DEFAULT_CATALOG_VERSION } from "../store/price-catalog";
import { startTestControlPlane, type TestControlPlane } from "../testing/harness";

const PROVIDER_KEY = "sk-upstream-GRPC-TEST-" + "0a1b2c3d4e5f";

type StreamingClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;
function client(service: string, target: string): StreamingClient {
  const Ctor = grpc.makeGenericClientConstructor(serviceDefinition(service), service);
  return new Ctor(target, grpc.credentials.createInsecure()) as unknown as StreamingClient;
}

/** `null` leaves the entry out. */
function metadata(token: string | null, sidecarId: string | null = "sc-test"): grpc.Metadata {
  const md = new grpc.Metadata();
  if (token !== null) md.set(METADATA_AUTHORIZATION, `Bearer ${token}`);
  if (sidecarId !== null) md.set(METADATA_SIDECAR_ID, sidecarId);
  return md;
}

/** Collects a stream's messages; `next(pred)` waits (bounded) for the first message matching pred. */
function collect<T>(stream: NodeJS.EventEmitter) {
  const items: T[] = [];
  const waiters: (() => void)[] = [];
  let status: grpc.StatusObject | undefined;
  let error: grpc.ServiceError | undefined;
  stream.on("data", (m: T) => {
    items.push(m);
    waiters.splice(0).forEach((w) => w());
  });
  stream.on("status", (s: grpc.StatusObject) => {
    status = s;
    waiters.splice(0).forEach((w) => w());
  });
  stream.on("error", (e: grpc.ServiceError) => {
    error = e;
    waiters.splice(0).forEach((w) => w());
  });
  const until = async (check: () => boolean, ms: number, what: string): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  return {
    items,
    status: () => status,
    error: () => error,
    next: async (pred: (m: T) => boolean, ms: number, what: string): Promise<T> => {
      await until(() => items.some(pred), ms, what);
      return items.find(pred) as T;
    },
    ended: (ms: number) => until(() => status !== undefined || error !== undefined, ms, "end of stream"),
  };
}

const batch = (producerId: string, seq: number, tokens: number): UsageBatch => ({
  sidecar_id: "sc-test", producer_id: producerId, seq, created_at_ms: Date.now(), deltas: [],
  records: [{
    request_id: `req-${seq}`, key_id: "k-1", team_id: "t-1", user_id: "", project_id: "", model: "mock-echo", provider: "openai",
    deployment_id: "d-1", upstream_model: "mock-echo", status: 200, error_code: "", prompt_tokens: tokens, completion_tokens: 2 * tokens,
    cached_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_usd: 0.001, latency_ms: 5, ttft_ms: 2, stream: false,
    started_at_ms: Date.now(), attempts: 1, endpoint: "/v1/chat/completions", tags: { env: "ci" },
  }],
});

describe("gRPC services", () => {
  let t: TestControlPlane;
  const clients: grpc.Client[] = [];
  const open = (service: string): StreamingClient => {
    const c = client(service, t.cp.grpcAddress);
    clients.push(c);
    return c;
  };
  before(async () => {
    t = await startTestControlPlane();
    await t.admin("PUT", "/api/v1/teams/demo", { name: "Demo" });
    await t.admin("PUT", "/api/v1/providers/cred", { provider: "openai", secrets: { api_key: PROVIDER_KEY } });
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await t.close();
  });

  test("Watch: a snapshot first, then a newer version within 1 s of a mutation", async () => {
    const call = open("PolicyService")["Watch"]?.({ sidecar_id: "sc-test", sidecar_version: "test", known_version: 0, labels: {} }, metadata(t.sidecarToken)) as grpc.ClientReadableStream<PolicyUpdate>;
    const s = collect<PolicyUpdate>(call);
    const first = await s.next(() => true, 2000, "the first snapshot");
    assert.equal(first.body, "snapshot");
    assert.equal(first.version, await t.cp.store.policyVersion());
    assert.deepEqual(first.snapshot?.teams.map((x) => x.id), ["demo"]);
    assert.deepEqual(first.snapshot?.credentials, [{ id: "cred", provider: "openai", secrets: { api_key: PROVIDER_KEY } }]);
    assert.equal(first.snapshot?.price_catalog_version, DEFAULT_CATALOG_VERSION);
    assert.ok((first.snapshot?.prices.length ?? 0) >= 10);

    const created = (await t.admin("POST", "/api/v1/keys", { id: "watch-key", team_id: "demo", allowed_models: ["mock-echo"] })).body as { key: string };
    const next = await s.next((u) => u.version > first.version, 1000, "the update after creating a key");
    const key = next.snapshot?.keys.find((k) => k.id === "watch-key");
    assert.ok(key, "new key is in the snapshot");
    assert.deepEqual(Buffer.from(key.hash), createHash("sha256").update(created.key).digest());
    assert.equal(key.display, `sk-sg-…${created.key.slice(-4)}`);
    assert.deepEqual(key.allowed_models, ["mock-echo"]);

    await t.admin("DELETE", "/api/v1/keys/watch-key");
    const afterRevoke = await s.next((u) => u.version > next.version, 1000, "the update after revoking");
    assert.equal(afterRevoke.snapshot?.keys.some((k) => k.id === "watch-key"), false, "revoked keys are absent");
    call.cancel();
  });

  test("a wrong or missing sidecar token, or a missing sidecar id, gets UNAUTHENTICATED", async () => {
    const cases = [metadata("wrong-" + t.sidecarToken), metadata(null), metadata(t.sidecarToken, null), metadata(t.sidecarToken, ""), metadata(t.adminToken)];
    for (const md of cases) {
      const call = open("PolicyService")["Watch"]?.({ sidecar_id: "x", sidecar_version: "", known_version: 0, labels: {} }, md) as grpc.ClientReadableStream<PolicyUpdate>;
      const s = collect<PolicyUpdate>(call);
      await s.ended(2000);
      assert.equal(s.error()?.code, grpc.status.UNAUTHENTICATED);
      assert.equal(s.items.length, 0, "no snapshot leaks to an unauthenticated caller");
    }
    const report = open("UsageService")["Report"]?.(metadata("nope-nope-nope-nope")) as grpc.ClientDuplexStream<UsageBatch, ReportAck>;
    const r = collect<ReportAck>(report);
    report.write(batch("p-unauth", 1, 1));
    await r.ended(2000);
    assert.equal(r.error()?.code, grpc.status.UNAUTHENTICATED);
    assert.equal(r.items.length, 0);
  });

  test("Report: a batch is stored once; the same (producer_id, seq) again is acked duplicate and not counted", async () => {
    const call = open("UsageService")["Report"]?.(metadata(t.sidecarToken)) as grpc.ClientDuplexStream<UsageBatch, ReportAck>;
    const s = collect<ReportAck>(call);
    call.write(batch("producer-a", 1, 10));
    call.write(batch("producer-a", 2, 20));
    call.write(batch("producer-a", 1, 10));
    await s.next(() => s.items.length === 3, 2000, "three acks");
    assert.deepEqual(s.items, [
      { producer_id: "producer-a", seq: 1, duplicate: false },
      { producer_id: "producer-a", seq: 2, duplicate: false },
      { producer_id: "producer-a", seq: 1, duplicate: true },
    ]);
    call.end();
    await s.ended(2000);
    assert.equal(s.status()?.code, grpc.status.OK);

    // A new stream (a reconnect) re-sending seq 2 is still a duplicate.
    const again = open("UsageService")["Report"]?.(metadata(t.sidecarToken)) as grpc.ClientDuplexStream<UsageBatch, ReportAck>;
    const a = collect<ReportAck>(again);
    again.write(batch("producer-a", 2, 20));
    assert.equal((await a.next(() => true, 2000, "ack")).duplicate, true);
    again.end();

    const usage = (await t.admin("GET", "/api/v1/usage")).body as { data: { requests: number; prompt_tokens: number; completion_tokens: number }[] };
    assert.deepEqual(usage.data.map((r) => [r.requests, r.prompt_tokens, r.completion_tokens]), [[2, 30, 60]]);
    const records = (await t.admin("GET", "/api/v1/usage/records?key_id=k-1")).body as { data: { request_id: string; sidecar_id: string; tags: unknown }[] };
    assert.deepEqual(records.data.map((r) => r.request_id).sort(), ["req-1", "req-2"]);
    assert.equal(records.data[0]?.sidecar_id, "sc-test");
    assert.deepEqual(records.data[0]?.tags, { env: "ci" });
    const metrics = await (await fetch(`${t.cp.httpUrl}/metrics`)).text();
    assert.match(metrics, /sidegate_cp_usage_batches_duplicate_total 2/);
    assert.match(metrics, /sidegate_cp_usage_batches_received_total 4/);
  });

  test("Report: an invalid batch ends the stream with INVALID_ARGUMENT", async () => {
    for (const bad of [batch("", 1, 1), batch("producer-b", 0, 1)]) {
      const call = open("UsageService")["Report"]?.(metadata(t.sidecarToken)) as grpc.ClientDuplexStream<UsageBatch, ReportAck>;
      const s = collect<ReportAck>(call);
      call.write(bad);
      await s.ended(2000);
      assert.equal(s.error()?.code, grpc.status.INVALID_ARGUMENT);
      assert.equal(s.items.length, 0);
    }
  });

  test("QuotaService.Lease answers each request with grants sized from the policy", async () => {
    await t.admin("PUT", "/api/v1/teams/leased", { name: "Leased", limits: { rpm: 600, budgets: [{ id: "b", limit_usd: 2, period: "day", hard: true }] } });
    const call = open("QuotaService")["Lease"]?.(metadata(t.sidecarToken)) as grpc.ClientDuplexStream<LeaseRequest, LeaseResponse>;
    const s = collect<LeaseResponse>(call);
    const demand = (limit_key: string, wanted: number) => ({ limit_key, wanted, held: 0, unreported: 0, reserved: 0, needed: wanted, min_useful: 0, release: false });
    call.write({ sidecar_id: "sc-test", seq: 7, demands: [demand("team:leased:rpm", 10), demand("team:leased:budget:b", 1), demand("team:nope:rpm", 1)] });
    const res = await s.next((r) => r.seq === 7, 2000, "the lease answer");
    const [rpm, budget, unknown] = res.grants;
    assert.equal(res.live_sidecars, 1);
    assert.equal(res.settled, true, "a control plane that never granted before grants at once");
    assert.deepEqual([rpm?.limit_key, rpm?.granted, rpm?.limit, rpm?.fallback_share], ["team:leased:rpm", 10 + 590 / 2, 600, 600], "its demand and half the spare (the rest for a sidecar joining)");
    assert.ok((rpm?.ttl_ms ?? 0) > 0);
    assert.deepEqual([budget?.granted, budget?.remaining], [1, 2]);
    assert.ok((budget?.reset_in_ms ?? 0) > 0 && (budget?.reset_in_ms ?? 0) <= 86_400_000);
    assert.deepEqual([unknown?.limit, unknown?.granted, unknown?.ttl_ms], [0, 0, 0]);
    call.end();
    await s.ended(2000);
  });

  test("logs hold no sidecar token, admin token or provider key", () => {
    const logs = t.logs();
    assert.ok(logs.includes("watch stream opened"));
    assert.ok(logs.includes("rejected: unauthenticated"));
    for (const s of [t.sidecarToken, t.adminToken, PROVIDER_KEY]) assert.ok(!logs.includes(s), "secret in logs");
  });
});

describe("graceful close", () => {
  test("close() ends open Watch streams with OK and releases the ports", async () => {
    const t = await startTestControlPlane();
    const c = client("PolicyService", t.cp.grpcAddress);
    const call = c["Watch"]?.({ sidecar_id: "s", sidecar_version: "", known_version: 0, labels: {} }, metadata(t.sidecarToken)) as grpc.ClientReadableStream<PolicyUpdate>;
    const s = collect<PolicyUpdate>(call);
    await s.next(() => true, 2000, "snapshot");
    await t.close();
    await s.ended(2000);
    assert.equal(s.status()?.code ?? s.error()?.code, grpc.status.OK);
    c.close();
    await assert.rejects(fetch(`${t.cp.httpUrl}/healthz`));
  });
});
