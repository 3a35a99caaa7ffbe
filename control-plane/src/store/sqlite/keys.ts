import type { Database } from "better-sqlite3";
import type { PreviousKeyHash, VirtualKey } from "../../domain/types";
import type { KeyInput, KeyPatch } from "../types";
import { limits, stringList, stringMap, toJson } from "./codec";

interface KeyRow {
  id: string;
  team_id: string;
  name: string;
  user_id: string;
  project_id: string;
  hash: Buffer;
  display: string;
  status: string;
  limits: string;
  allowed_models: string;
  metadata: string;
  created_at: number;
  revoked_at: number | null;
  expires_at: number | null;
}

const toKey = (r: KeyRow, previousHashes: readonly PreviousKeyHash[]): VirtualKey => ({
  id: r.id,
  teamId: r.team_id,
  name: r.name,
  userId: r.user_id,
  projectId: r.project_id,
  hash: r.hash,
  previousHashes,
  display: r.display,
  allowedModels: stringList(r.allowed_models),
  limits: limits(r.limits),
  metadata: stringMap(r.metadata),
  createdAtMs: r.created_at,
  revokedAtMs: r.revoked_at,
  expiresAtMs: r.expires_at,
});

/** Prepared statements over `virtual_keys`. */
export function createKeysTable(db: Database) {
  const list = db.prepare<[], KeyRow>("SELECT * FROM virtual_keys ORDER BY created_at, id");
  const listByTeam = db.prepare<[string], KeyRow>("SELECT * FROM virtual_keys WHERE team_id = ? ORDER BY created_at, id");
  const listActive = db.prepare<[], KeyRow>("SELECT * FROM virtual_keys WHERE status = 'active' ORDER BY id");
  const get = db.prepare<[string], KeyRow>("SELECT * FROM virtual_keys WHERE id = ?");
  const getByHash = db.prepare<[Buffer], { id: string }>("SELECT id FROM virtual_keys WHERE hash = ?");
  const insert = db.prepare<[Record<string, unknown>], KeyRow>(
    `INSERT INTO virtual_keys (id, team_id, name, user_id, project_id, hash, display, status, limits, allowed_models, metadata,
       created_at, revoked_at, expires_at)
     VALUES (@id, @team_id, @name, @user_id, @project_id, @hash, @display, 'active', @limits, @allowed_models, @metadata,
       @now, NULL, @expires_at)
     RETURNING *`,
  );
  const countUser = db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM virtual_keys WHERE user_id = ? AND status = 'active'");
  const countProject = db.prepare<[string], { n: number }>(
    "SELECT COUNT(*) AS n FROM virtual_keys WHERE project_id = ? AND status = 'active'",
  );
  const revoke = db.prepare<[number, string], KeyRow>(
    "UPDATE virtual_keys SET status = 'revoked', revoked_at = ? WHERE id = ? AND status = 'active' RETURNING *",
  );
  const revokeTeam = db.prepare<[number, string]>(
    "UPDATE virtual_keys SET status = 'revoked', revoked_at = ? WHERE team_id = ? AND status = 'active'",
  );
  const previous = db.prepare<[string], { hash: Buffer; expires_at: number }>(
    "SELECT hash, expires_at FROM key_previous_hashes WHERE key_id = ? ORDER BY expires_at",
  );
  const allPrevious = db.prepare<[], { key_id: string; hash: Buffer; expires_at: number }>(
    "SELECT key_id, hash, expires_at FROM key_previous_hashes ORDER BY key_id, expires_at",
  );
  const previousExists = db.prepare<[Buffer], { key_id: string }>("SELECT key_id FROM key_previous_hashes WHERE hash = ?");
  const addPrevious = db.prepare<[Buffer, string, number]>("INSERT INTO key_previous_hashes (hash, key_id, expires_at) VALUES (?, ?, ?)");
  const prunePrevious = db.prepare<[string, number]>("DELETE FROM key_previous_hashes WHERE key_id = ? AND expires_at <= ?");
  const setHash = db.prepare<[Buffer, string, string], KeyRow>("UPDATE virtual_keys SET hash = ?, display = ? WHERE id = ? RETURNING *");
  const update = db.prepare<[Record<string, unknown>], KeyRow>(
    `UPDATE virtual_keys SET name = @name, user_id = @user_id, project_id = @project_id, allowed_models = @allowed_models,
       limits = @limits, metadata = @metadata, expires_at = @expires_at WHERE id = @id RETURNING *`,
  );
  const withPrevious = (r: KeyRow): VirtualKey =>
    toKey(r, previous.all(r.id).map((p) => ({ hash: p.hash, expiresAtMs: p.expires_at })));
  return {
    list: (teamId?: string): VirtualKey[] => (teamId === undefined ? list.all() : listByTeam.all(teamId)).map(withPrevious),
    /** Active (not revoked) keys with their grace hashes, in one pass over each table. */
    listActive: (): VirtualKey[] => {
      const byKey = new Map<string, PreviousKeyHash[]>();
      for (const p of allPrevious.all()) {
        const list = byKey.get(p.key_id) ?? [];
        list.push({ hash: p.hash, expiresAtMs: p.expires_at });
        byKey.set(p.key_id, list);
      }
      return listActive.all().map((r) => toKey(r, byKey.get(r.id) ?? []));
    },
    get: (id: string): VirtualKey | undefined => {
      const r = get.get(id);
      return r ? withPrevious(r) : undefined;
    },
    hashExists: (hash: Buffer): boolean => getByHash.get(hash) !== undefined || previousExists.get(hash) !== undefined,
    insert: (k: KeyInput, now: number): VirtualKey => {
      const row = insert.get({
        id: k.id, team_id: k.teamId, name: k.name, user_id: k.userId, project_id: k.projectId, hash: k.hash, display: k.display,
        limits: toJson(k.limits), allowed_models: toJson(k.allowedModels), metadata: toJson(k.metadata), now, expires_at: k.expiresAtMs,
      });
      if (!row) throw new Error("key insert returned nothing");
      return withPrevious(row);
    },
    /** Replaces the secret; the old hash keeps working until `graceUntilMs` (not kept when that is ≤ now). */
    rotate: (current: VirtualKey, hash: Buffer, display: string, graceUntilMs: number, now: number): VirtualKey => {
      prunePrevious.run(current.id, now);
      if (graceUntilMs > now) addPrevious.run(current.hash, current.id, graceUntilMs);
      const row = setHash.get(hash, display, current.id);
      if (!row) throw new Error("key rotate returned nothing");
      return withPrevious(row);
    },
    update: (current: VirtualKey, patch: KeyPatch): VirtualKey => {
      const next = { ...current, ...patch };
      const row = update.get({
        id: current.id, name: next.name, user_id: next.userId, project_id: next.projectId, allowed_models: toJson(next.allowedModels),
        limits: toJson(next.limits), metadata: toJson(next.metadata), expires_at: next.expiresAtMs,
      });
      if (!row) throw new Error("key update returned nothing");
      return withPrevious(row);
    },
    /** undefined when the key does not exist or is already revoked. Grace hashes die with the key. */
    revoke: (id: string, now: number): VirtualKey | undefined => {
      const r = revoke.get(now, id);
      if (!r) return undefined;
      prunePrevious.run(id, Number.MAX_SAFE_INTEGER);
      return toKey(r, []);
    },
    revokeTeam: (teamId: string, now: number): number => revokeTeam.run(now, teamId).changes,
    countReferencing: (field: "user_id" | "project_id", id: string): number =>
      (field === "user_id" ? countUser : countProject).get(id)?.n ?? 0,
  };
}
