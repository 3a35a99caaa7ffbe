import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { NO_LIMITS } from "../../domain/limits";
import { batch, record } from "../../domain/test-fixtures";
import { StoreConflictError, StoreReferenceError } from "../errors";
import { MIGRATIONS, runMigrations } from "../migrations";
import { DEFAULT_CATALOG_VERSION } from "../price-catalog";
import { SqliteStore } from "./sqlite-store";

const tempDir = (): string => join(mkdtempSync(join(tmpdir(), "sidegate-store-")), "data");
const team = (id: string) => ({ id, name: id, ownerUserId: "", limits: NO_LIMITS, allowedModels: [], metadata: {} });

test("creates the data dir 0700, WAL mode, every migration once", async () => {
  const dir = tempDir();
  const store = SqliteStore.open(dir);
  await store.close();
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const db = new BetterSqlite3(join(dir, "sidegate.db"));
  assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
  const rows = db.prepare("SELECT version FROM schema_migrations ORDER BY version").all() as { version: number }[];
  assert.deepEqual(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
  assert.deepEqual(runMigrations(db), [], "nothing left to apply");
  db.close();
  const again = SqliteStore.open(dir);
  assert.equal((await again.listPrices()).length, 10);
  await again.close();
});

test("refuses a database from a newer build", () => {
  const db = new BetterSqlite3(":memory:");
  runMigrations(db);
  db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)").run();
  assert.throws(() => runMigrations(db), /newer than this build/);
});

test("the default catalog is seeded with its version and mock-echo at 0", async () => {
  const store = SqliteStore.open(tempDir());
  const prices = await store.listPrices();
  assert.ok(prices.every((p) => p.catalogVersion === DEFAULT_CATALOG_VERSION));
  const mock = prices.find((p) => p.model === "mock-echo");
  assert.equal(mock?.inputPerMtok, 0);
  assert.equal(mock?.outputPerMtok, 0);
  assert.ok((prices.find((p) => p.model === "gpt-4o")?.outputPerMtok ?? 0) > 0);
  await store.close();
});

test("every mutation bumps the version once; reads do not", async () => {
  const store = SqliteStore.open(tempDir());
  const v0 = await store.policyVersion();
  const a = await store.putTeam(team("t1"), 1);
  assert.equal(a.created, true);
  assert.equal(a.version, v0 + 1);
  const b = await store.putTeam({ ...team("t1"), name: "renamed" }, 2);
  assert.equal(b.created, false);
  assert.equal(b.value.createdAtMs, 1, "replace keeps created_at");
  assert.equal(b.value.name, "renamed");
  await store.listTeams();
  assert.equal(await store.policyVersion(), v0 + 2);
  await assert.rejects(store.createTeam(team("t1"), 3), StoreConflictError);
  assert.equal(await store.policyVersion(), v0 + 2, "a failed mutation rolls back its bump");
  assert.equal(await store.deleteTeam("missing", 4), undefined);
  assert.equal(await store.policyVersion(), v0 + 2);
  await store.close();
});

test("keys: team must exist, hash unique, deleting a team revokes its keys", async () => {
  const store = SqliteStore.open(tempDir());
  const key = (id: string, hashByte: number, teamId = "t1") => ({
    id, teamId, name: "", userId: "", projectId: "", hash: Buffer.alloc(32, hashByte), display: "sk-sg-…abcd",
    allowedModels: [], limits: NO_LIMITS, metadata: {}, expiresAtMs: null,
  });
  await assert.rejects(store.createKey(key("k1", 1), 1), StoreReferenceError);
  await store.putTeam(team("t1"), 1);
  await store.createKey(key("k1", 1), 2);
  await assert.rejects(store.createKey(key("k1", 2), 3), (e: unknown) => e instanceof StoreConflictError && e.field === "id");
  await assert.rejects(store.createKey(key("k2", 1), 3), (e: unknown) => e instanceof StoreConflictError && e.field === "secret");
  await store.createKey(key("k2", 2), 3);
  const del = await store.deleteTeam("t1", 10);
  assert.equal(del?.value.revokedKeys, 2);
  assert.deepEqual((await store.readPolicyState()).keys, []);
  assert.equal((await store.getKey("k1"))?.revokedAtMs, 10);
  await store.close();
});

test("usage batches are stored once per (producer_id, seq)", async () => {
  const store = SqliteStore.open(tempDir());
  const b = batch({ records: [record({ requestId: "a", promptTokens: 3 }), record({ requestId: "b", promptTokens: 4 })] });
  assert.deepEqual(await store.recordUsageBatch(b, 100), { duplicate: false });
  assert.deepEqual(await store.recordUsageBatch(b, 101), { duplicate: true });
  assert.deepEqual(await store.recordUsageBatch({ ...b, producerId: "p2" }, 102), { duplicate: false });
  const [total] = await store.usageSummary({});
  assert.equal(total?.requests, 4);
  assert.equal(total?.promptTokens, 14);
  const byKey = await store.usageSummary({ groupBy: "key_id" });
  assert.deepEqual(byKey.map((r) => [r.group, r.requests]), [["k1", 4]]);
  const windowed = await store.usageSummary({ fromMs: 2000 });
  assert.equal(windowed[0]?.requests, 0);
  const recent = await store.usageRecords({ limit: 3 });
  assert.equal(recent.length, 3);
  assert.deepEqual((await store.usageRecords({ limit: 10, keyId: "other" })).length, 0);
  await store.close();
});

test("a stored usage record reads back field for field (every column bound to its own value)", async () => {
  const store = SqliteStore.open(tempDir());
  const r = {
    requestId: "req-1", keyId: "key-1", teamId: "team-1", userId: "user-1", projectId: "proj-1", model: "model-1",
    provider: "provider-1", deploymentId: "dep-1", upstreamModel: "up-1", status: 429, errorCode: "rate_limited",
    promptTokens: 11, completionTokens: 12, cachedTokens: 13, cacheWriteTokens: 14, reasoningTokens: 15, costUsd: 0.25,
    latencyMs: 16, ttftMs: 17, stream: true, startedAtMs: 1018, attempts: 2, endpoint: "chat", tags: { feature: "söka", env: "prod" },
  };
  const plain = { ...r, requestId: "req-2", stream: false, tags: {}, startedAtMs: 1019 };
  const b = batch({ producerId: "prod-1", seq: 7, sidecarId: "sc-1", records: [r, plain] });
  await store.recordUsageBatch(b, 5000);
  const [second, first] = await store.usageRecords({ limit: 10 });
  assert.deepEqual(first, { ...r, sidecarId: "sc-1", producerId: "prod-1", seq: 7, receivedAtMs: 5000 });
  assert.deepEqual(second, { ...plain, sidecarId: "sc-1", producerId: "prod-1", seq: 7, receivedAtMs: 5000 });
  await store.close();
});

test("the audit log is append-only: UPDATE and DELETE are refused by the database", async () => {
  const dir = tempDir();
  const store = SqliteStore.open(dir);
  await store.appendAudit({ actorId: "a", actorRole: "org_admin", action: "create", resourceType: "team", resourceId: "t", teamId: "t", before: null, after: { id: "t" } }, 5);
  await store.close();
  const db = new BetterSqlite3(join(dir, "sidegate.db"));
  assert.throws(() => db.prepare("UPDATE audit_log SET action = 'x'").run(), /append-only/);
  assert.throws(() => db.prepare("DELETE FROM audit_log").run(), /append-only/);
  db.close();
});

test("the governance migration keeps the previously seeded catalog as a recorded version and installs the current default", () => {
  const db = new BetterSqlite3(":memory:");
  runMigrations(db, MIGRATIONS.filter((m) => m.version <= 2));
  db.prepare("UPDATE prices SET catalog_version = 'old-version'").run();
  runMigrations(db);
  const versions = db.prepare("SELECT version FROM price_catalogs ORDER BY seq").all() as { version: string }[];
  assert.deepEqual(versions.map((v) => v.version), ["old-version", DEFAULT_CATALOG_VERSION]);
  const live = db.prepare("SELECT DISTINCT catalog_version AS v FROM prices").all() as { v: string }[];
  assert.deepEqual(live, [{ v: DEFAULT_CATALOG_VERSION }]);
  db.close();
});

test("users and projects belong to one team; keys may only name members of their own team", async () => {
  const store = SqliteStore.open(tempDir());
  await store.putTeam(team("t1"), 1);
  await store.putTeam(team("t2"), 1);
  await store.putUser({ id: "u1", teamId: "t1", email: "", name: "", metadata: {} }, 1);
  await store.putProject({ id: "p2", teamId: "t2", name: "", metadata: {} }, 1);
  await assert.rejects(store.putUser({ id: "u1", teamId: "t2", email: "", name: "", metadata: {} }, 2), StoreConflictError);
  await assert.rejects(store.putUser({ id: "u9", teamId: "nope", email: "", name: "", metadata: {} }, 2), StoreReferenceError);
  const key = { id: "k", teamId: "t1", name: "", userId: "u1", projectId: "", hash: Buffer.alloc(32, 7), display: "x", allowedModels: [], limits: NO_LIMITS, metadata: {}, expiresAtMs: null };
  await assert.rejects(store.createKey({ ...key, projectId: "p2" }, 3), (e: unknown) => e instanceof StoreReferenceError && e.field === "project_id");
  await store.createKey(key, 3);
  await assert.rejects(store.deleteUser("u1", 4), StoreConflictError, "an active key names the user");
  await assert.rejects(store.putTeam({ ...team("t2"), ownerUserId: "u1" }, 4), (e: unknown) => e instanceof StoreReferenceError && e.field === "owner_user_id");
  await store.putTeam({ ...team("t1"), ownerUserId: "u1" }, 4);
  const deleted = await store.deleteTeam("t1", 5);
  assert.equal(deleted?.value.revokedKeys, 1);
  assert.equal(await store.getUser("u1"), undefined, "a team's users go with it");
  await store.close();
});

test("rotation keeps the old hash until its grace end; a reused secret is a conflict", async () => {
  const store = SqliteStore.open(tempDir());
  await store.putTeam(team("t1"), 1);
  const old = Buffer.alloc(32, 1);
  await store.createKey({ id: "k", teamId: "t1", name: "", userId: "", projectId: "", hash: old, display: "a", allowedModels: [], limits: NO_LIMITS, metadata: {}, expiresAtMs: null }, 1);
  const m = await store.rotateKey("k", { hash: Buffer.alloc(32, 2), display: "b", graceUntilMs: 1000 }, 10);
  assert.deepEqual(m?.value.previousHashes, [{ hash: old, expiresAtMs: 1000 }]);
  await assert.rejects(store.rotateKey("k", { hash: old, display: "c", graceUntilMs: 2000 }, 20), StoreConflictError);
  const again = await store.rotateKey("k", { hash: Buffer.alloc(32, 3), display: "c", graceUntilMs: 0 }, 2000);
  assert.deepEqual(again?.value.previousHashes, [], "expired grace hashes are pruned; grace 0 keeps none");
  assert.deepEqual((await store.readPolicyState()).keys[0]?.hash, Buffer.alloc(32, 3));
  await store.close();
});
