import { test } from "node:test";
import assert from "node:assert/strict";
import { EXPIRED_KEY_RETENTION_MS, assembleSnapshot } from "./snapshot";
import { credential, emptyState, key } from "./test-fixtures";

const open = (c: { id: string; provider: string }) => ({ id: c.id, provider: c.provider, secrets: {} });

test("leaves out revoked keys and keys expired beyond the retention window; keeps recently expired ones for key_expired", () => {
  const now = EXPIRED_KEY_RETENTION_MS + 10_000;
  const state = emptyState({
    version: 7,
    keys: [
      key("b"), key("a", { expiresAtMs: now + 5000 }), key("gone", { revokedAtMs: 10 }),
      key("recent", { expiresAtMs: now - 1 }), key("old", { expiresAtMs: 9_999 }),
    ],
  });
  const v = assembleSnapshot(state, open, now);
  assert.equal(v.version, 7);
  assert.equal(v.issuedAtMs, now);
  assert.deepEqual(v.snapshot.keys.map((k) => k.id), ["a", "b", "recent"]);
});

test("carries rotated-out hashes with their own expiry; drops those past the retention window", () => {
  const now = EXPIRED_KEY_RETENTION_MS + 10_000;
  const grace = { hash: Buffer.alloc(32, 2), expiresAtMs: now + 60_000 };
  const stale = { hash: Buffer.alloc(32, 3), expiresAtMs: 9_000 };
  const v = assembleSnapshot(emptyState({ keys: [key("k", { previousHashes: [stale, grace] })] }), open, now);
  assert.deepEqual(v.snapshot.keys[0]?.previousHashes, [grace]);
});

test("opens every credential through the injected function and freezes the result", () => {
  const state = emptyState({ credentials: [credential("c2"), credential("c1")] });
  const v = assembleSnapshot(state, (c) => ({ id: c.id, provider: c.provider, secrets: { api_key: `secret-${c.id}` } }), 0);
  assert.deepEqual(v.snapshot.credentials, [
    { id: "c1", provider: "openai", secrets: { api_key: "secret-c1" } },
    { id: "c2", provider: "openai", secrets: { api_key: "secret-c2" } },
  ]);
  assert.ok(Object.isFrozen(v.snapshot));
  assert.ok(Object.isFrozen(v.snapshot.credentials[0]));
  assert.throws(() => (v.snapshot.keys as unknown[]).push(1));
});

test("price catalog version is the newest one present", () => {
  const price = { provider: "", model: "m", inputPerMtok: 1, outputPerMtok: 2, cachedInputPerMtok: 0, cacheWritePerMtok: 0, reasoningPerMtok: 0 };
  const state = emptyState({ prices: [{ ...price, catalogVersion: "2026-01-01" }, { ...price, model: "n", catalogVersion: "2026-12-01" }] });
  assert.equal(assembleSnapshot(state, () => ({ id: "", provider: "", secrets: {} }), 0).snapshot.priceCatalogVersion, "2026-12-01");
  assert.equal(assembleSnapshot(emptyState(), () => ({ id: "", provider: "", secrets: {} }), 0).snapshot.priceCatalogVersion, "");
});
