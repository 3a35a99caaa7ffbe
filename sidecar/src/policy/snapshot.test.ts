import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import type { PolicySnapshot } from "../../../proto";
import { InvalidPolicyError, applyDelta, buildPolicyIndex, hashSecret, type DeploymentPreparer } from "./snapshot";

const sha = (s: string): Buffer => createHash("sha256").update(s).digest();
const vkey = (id: string, secret: string, allowed: string[] = [], team = "t1") => ({
  id, hash: sha(secret), team_id: team, user_id: "u", project_id: "p", allowed_models: allowed, expires_at_ms: 0, metadata: {}, display: "sk-…", previous_hashes: [] as { hash: Buffer; expires_at_ms: number }[],
});
const dep = (id: string, provider = "openai", upstream = "", credential = "") => ({
  id, provider, base_url: "http://x/v1", upstream_model: upstream, credential_id: credential, region: "", options: {}, timeout_ms: 0, direct_models: [] as string[],
});
const price = (provider: string, model: string, input: number) => ({
  model, provider, input_per_mtok: input, output_per_mtok: 0, cached_input_per_mtok: 0, cache_write_per_mtok: 0, reasoning_per_mtok: 0,
});

function base(): PolicySnapshot {
  return {
    teams: [{ id: "t1", name: "T", allowed_models: ["m1", "m2"], metadata: {} }],
    keys: [vkey("k1", "secret-1"), vkey("k2", "secret-2", ["m2"]), vkey("k3", "secret-3", [], "no-team")],
    routes: [
      { model: "m1", strategy: "", targets: [{ deployment_id: "missing", weight: 1, priority: 0 }, { deployment_id: "d1", weight: 1, priority: 1 }] },
      { model: "m2", strategy: "weighted", targets: [{ deployment_id: "d1", weight: 3, priority: 0 }, { deployment_id: "d2", weight: 1, priority: 0 }, { deployment_id: "d3", weight: 1, priority: 5 }] },
      { model: "m3", strategy: "priority", targets: [{ deployment_id: "dx", weight: 1, priority: 0 }] },
    ],
    deployments: [dep("d1", "openai", "", "c1"), dep("d2", "openai", "up-2"), dep("d3"), dep("dx", "unknown-vendor")],
    credentials: [{ id: "c1", provider: "openai", secrets: { api_key: "k" } }],
    prices: [price("openai", "m1", 1), price("", "up-2", 2), price("", "m2", 3)],
    price_catalog_version: "v",
    global_model_limits: {},
  };
}

const prepare: DeploymentPreparer<string> = (d, c) => (d.provider === "openai" ? `${d.id}:${c?.secrets["api_key"] ?? "-"}` : null);

describe("buildPolicyIndex", () => {
  it("indexes keys by hash with their allowed sets (key, then team, else all)", () => {
    const index = buildPolicyIndex(3, 1000, base(), prepare);
    assert.equal(index.version, 3);
    assert.deepEqual([...(index.keys.get(hashSecret("secret-1"))?.allowed ?? [])], ["m1", "m2"]);
    assert.deepEqual([...(index.keys.get(hashSecret("secret-2"))?.allowed ?? [])], ["m2"]);
    assert.equal(index.keys.get(hashSecret("secret-3"))?.allowed, null);
    assert.equal(index.keys.get(hashSecret("nope")), undefined);
    assert.ok(Object.isFrozen(index));
  });

  it("builds routes from usable targets, sorted by priority, with prepared deployments and prices", () => {
    const index = buildPolicyIndex(1, 0, base(), prepare);
    assert.deepEqual(index.models, ["m1", "m2"]);
    const m1 = index.routes.get("m1");
    assert.equal(m1?.groups.length, 1);
    assert.equal(m1?.groups[0]?.targets[0]?.prepared, "d1:k");
    assert.equal(m1?.groups[0]?.targets[0]?.price?.inputPerMtok, 1);
    const m2 = index.routes.get("m2");
    const primary = m2?.groups[0]?.targets ?? [];
    assert.deepEqual(primary.map((t) => t.deploymentId), ["d1", "d2"]);
    assert.deepEqual(m2?.groups[0]?.weights, [3, 1]);
    assert.equal(m2?.targets.length, 3);
    assert.equal(primary[1]?.upstreamModel, "up-2");
    assert.equal(primary[1]?.price?.inputPerMtok, 2, "(any, upstream model) before (any, model)");
    assert.equal(primary[0]?.price?.inputPerMtok, 3, "falls back to (any, public model)");
    assert.ok(index.warnings.some((w) => w.includes("unknown-vendor")));
  });

  it("rejects structurally invalid snapshots with InvalidPolicyError listing reasons", () => {
    const s = base();
    s.keys.push(vkey("k1", "secret-1"));
    s.keys.push({ ...vkey("k9", "x"), hash: Buffer.alloc(5) });
    s.deployments.push(dep("d9", "openai", "", "missing-cred"));
    const err = (() => {
      try {
        buildPolicyIndex(1, 0, s, prepare);
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(err instanceof InvalidPolicyError);
    assert.ok(err.reasons.some((r) => r.includes("duplicate id")));
    assert.ok(err.reasons.some((r) => r.includes("duplicate hash")));
    assert.ok(err.reasons.some((r) => r.includes("32 bytes")));
    assert.ok(!err.reasons.some((r) => r.includes("missing-cred")), "a bad deployment is skipped, not fatal");
  });

  it("skips a deployment its adapter cannot prepare (or whose credential is missing) and keeps the rest of the policy", () => {
    const failing: DeploymentPreparer<string> = (d) => {
      if (d.id === "d1") throw new Error("deployment d1: base_url must be http(s)");
      return d.id;
    };
    const s = base();
    s.deployments.push(dep("d9", "openai", "", "missing-cred"));
    const index = buildPolicyIndex(1, 0, s, failing);
    assert.ok(index.warnings.some((w) => w.includes("d1") && w.includes("skipped")));
    assert.ok(index.warnings.some((w) => w.includes("missing-cred")));
    assert.ok(index.keys.size > 0, "keys still apply: a bad deployment must not block revocations");
  });

  it("groups targets by priority and resolves retry settings with defaults", () => {
    const snap = base();
    snap.routes.push({
      model: "m4",
      strategy: "lowest_latency",
      targets: [
        { deployment_id: "d2", weight: 1, priority: 1 },
        { deployment_id: "d1", weight: 2, priority: 0 },
        { deployment_id: "d3", weight: 1, priority: 1 },
      ],
      retry: { max_attempts: 2, retry_on: ["429", "connect", "bogus"], backoff_base_ms: 0, backoff_max_ms: 0, max_retry_after_ms: 500 },
      timeouts: { connect_ms: 0, first_token_ms: 1500, idle_ms: 0, total_ms: 9000 },
    });
    const index = buildPolicyIndex(1, 0, snap, prepare);
    const m4 = index.routes.get("m4");
    assert.equal(m4?.strategy, "lowest_latency");
    assert.deepEqual(m4?.groups.map((g) => g.targets.map((t) => t.deploymentId)), [["d1"], ["d2", "d3"]]);
    assert.deepEqual(m4?.groups.map((g) => [...g.weights]), [[2], [1, 1]]);
    assert.equal(m4?.retry.maxAttempts, 2);
    assert.deepEqual([...(m4?.retry.retryOnStatus ?? [])], [429]);
    assert.equal(m4?.retry.retryOnConnect, true);
    assert.equal(m4?.retry.retryOnTimeout, false);
    assert.equal(m4?.retry.maxRetryAfterMs, 500);
    assert.equal(m4?.retry.backoffBaseMs, 100, "0 = default");
    assert.equal(m4?.timeouts.firstTokenMs, 1500);
    assert.ok(index.warnings.some((w) => w.includes("bogus")), "unknown retry_on token is a warning, not a rejection");
    const m1 = index.routes.get("m1");
    assert.equal(m1?.retry.maxAttempts, 3, "no retry policy = defaults");
  });

  it("rejects an unknown strategy", () => {
    const snap = base();
    snap.routes.push({ model: "m5", strategy: "fastest", targets: [{ deployment_id: "d1", weight: 1, priority: 0 }] });
    assert.throws(() => buildPolicyIndex(1, 0, snap, prepare), InvalidPolicyError);
  });
});

describe("rotated-out secrets", () => {
  it("index every previous hash to the same key, expiring at the earlier of its grace end and the key's expiry", () => {
    const s = base();
    s.keys = [
      { ...vkey("k1", "new-1"), previous_hashes: [{ hash: sha("old-1"), expires_at_ms: 5000 }] },
      { ...vkey("k2", "new-2"), expires_at_ms: 3000, previous_hashes: [{ hash: sha("old-2"), expires_at_ms: 9000 }] },
    ];
    const index = buildPolicyIndex(1, 0, s, prepare);
    assert.equal(index.keys.get(hashSecret("new-1"))?.expiresAtMs, 0);
    assert.equal(index.keys.get(hashSecret("old-1"))?.id, "k1");
    assert.equal(index.keys.get(hashSecret("old-1"))?.expiresAtMs, 5000);
    assert.equal(index.keys.get(hashSecret("old-2"))?.expiresAtMs, 3000, "never outlives the key itself");
    assert.deepEqual([...(index.keys.get(hashSecret("old-1"))?.allowed ?? [])], ["m1", "m2"], "same permissions as the key");
  });

  it("rejects a previous hash that collides with another key", () => {
    const s = base();
    s.keys = [vkey("k1", "a"), { ...vkey("k2", "b"), previous_hashes: [{ hash: sha("a"), expires_at_ms: 0 }] }];
    assert.throws(() => buildPolicyIndex(1, 0, s, prepare), (e: unknown) => e instanceof InvalidPolicyError && e.reasons.some((r) => r.includes("duplicate hash")));
  });
});

describe("applyDelta", () => {
  it("upserts and removes keys by id", () => {
    const next = applyDelta(base(), { base_version: 1, keys_upserted: [vkey("k2", "secret-2b"), vkey("k4", "s4")], keys_removed: ["k1"] });
    assert.deepEqual(next.keys.map((k) => k.id).sort(), ["k2", "k3", "k4"]);
    const index = buildPolicyIndex(2, 0, next, prepare);
    assert.equal(index.keys.get(hashSecret("secret-2")), undefined);
    assert.equal(index.keys.get(hashSecret("secret-2b"))?.id, "k2");
  });
});
