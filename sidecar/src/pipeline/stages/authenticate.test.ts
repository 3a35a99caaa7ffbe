import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import type { PolicySnapshot } from "../../../../proto";
import { buildPolicyIndex } from "../../policy/snapshot";
import { PolicyStore } from "../../policy/store";
import { RequestContext } from "../context";
import type { PreparedTarget } from "../policy-types";
import { authenticate, bearerToken } from "./authenticate";
import { KeyDigests } from "./key-digests";

const sha = (s: string): Buffer => createHash("sha256").update(s).digest();
const key = (id: string, secret: string, expires: number, previous: { hash: Buffer; expires_at_ms: number }[] = []) => ({
  id, hash: sha(secret), team_id: "t", user_id: "", project_id: "", allowed_models: [], expires_at_ms: expires, metadata: {}, display: "sk-…",
  previous_hashes: previous,
});

const ALL_KEYS = [key("live", "sk-new", 0, [{ hash: sha("sk-old"), expires_at_ms: 2000 }]), key("dated", "sk-dated", 1500)];

function snapshotWith(keys: PolicySnapshot["keys"]): PolicySnapshot {
  return {
    teams: [{ id: "t", name: "t", allowed_models: [], metadata: {} }],
    keys, routes: [], deployments: [], credentials: [], prices: [], price_catalog_version: "", global_model_limits: {},
  };
}

function stage(now: number, store = new PolicyStore<PreparedTarget>()) {
  if (store.current === null) store.set(buildPolicyIndex<PreparedTarget>(1, 0, snapshotWith(ALL_KEYS), () => null), 0);
  const run = authenticate(store, () => now);
  return (secret: string) => run(new RequestContext("r", "chat", "/v1/chat/completions", `Bearer ${secret}`, "application/json", 0))?.code ?? "ok";
}

describe("authenticate: expiry by the local clock", () => {
  it("accepts the old secret during its grace period and answers key_expired after it, without a new snapshot", () => {
    assert.equal(stage(1999)("sk-old"), "ok");
    assert.equal(stage(2000)("sk-old"), "key_expired");
    assert.equal(stage(2000)("sk-new"), "ok");
  });
  it("answers key_expired for an expired key and invalid_api_key for an unknown one", () => {
    assert.equal(stage(1499)("sk-dated"), "ok");
    assert.equal(stage(1500)("sk-dated"), "key_expired");
    assert.equal(stage(0)("sk-unknown"), "invalid_api_key");
  });
});

describe("authenticate: remembered digests never outlive the policy", () => {
  it("rejects a key revoked by a newer snapshot although its digest was remembered", () => {
    const store = new PolicyStore<PreparedTarget>();
    const check = stage(0, store);
    assert.equal(check("sk-new"), "ok");
    assert.equal(check("sk-dated"), "ok");
    store.set(buildPolicyIndex<PreparedTarget>(2, 0, snapshotWith([key("dated", "sk-dated", 1500)]), () => null), 0);
    assert.equal(check("sk-new"), "invalid_api_key");
    assert.equal(check("sk-dated"), "ok");
  });
  it("remembers only tokens that named a key, at most its capacity of them", () => {
    const digests = new KeyDigests(3);
    for (const t of ["a", "b", "c", "d", "e"]) digests.remember(t, `digest-${t}`);
    assert.ok(digests.size <= 3);
    assert.equal(digests.get("e"), "digest-e");
  });
  it("a flood of unknown tokens does not push a real one out", () => {
    const digests = new KeyDigests(2);
    const store = new PolicyStore<PreparedTarget>();
    store.set(buildPolicyIndex<PreparedTarget>(1, 0, snapshotWith(ALL_KEYS), () => null), 0);
    const run = authenticate(store, () => 0, digests);
    const check = (secret: string) => run(new RequestContext("r", "chat", "/v1/chat/completions", `Bearer ${secret}`, "application/json", 0))?.code ?? "ok";
    assert.equal(check("sk-new"), "ok");
    for (let i = 0; i < 10; i++) assert.equal(check(`sk-made-up-${i}`), "invalid_api_key");
    assert.equal(digests.size, 1);
    assert.equal(digests.get("sk-new"), createHash("sha256").update("sk-new").digest("base64"));
  });
});

describe("bearerToken", () => {
  it("extracts the token case-insensitively and rejects other schemes", () => {
    assert.equal(bearerToken("Bearer abc"), "abc");
    assert.equal(bearerToken("bearer  abc "), "abc");
    assert.equal(bearerToken("Basic abc"), "");
    assert.equal(bearerToken(""), "");
  });
});
