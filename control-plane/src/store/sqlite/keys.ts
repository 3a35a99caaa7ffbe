import type { Database } from "better-sqlite3";
import type { VirtualKey } from "../../domain/types";
import type { KeyInput } from "../types";
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

const toKey = (r: KeyRow): VirtualKey => ({
  id: r.id,
  teamId: r.team_id,
  name: r.name,
  userId: r.user_id,
  projectId: r.project_id,
  hash: r.hash,
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
  const revoke = db.prepare<[number, string], KeyRow>(
    "UPDATE virtual_keys SET status = 'revoked', revoked_at = ? WHERE id = ? AND status = 'active' RETURNING *",
  );
  const revokeTeam = db.prepare<[number, string]>(
    "UPDATE virtual_keys SET status = 'revoked', revoked_at = ? WHERE team_id = ? AND status = 'active'",
  );
  return {
    list: (teamId?: string): VirtualKey[] => (teamId === undefined ? list.all() : listByTeam.all(teamId)).map(toKey),
    listActive: (): VirtualKey[] => listActive.all().map(toKey),
    get: (id: string): VirtualKey | undefined => {
      const r = get.get(id);
      return r ? toKey(r) : undefined;
    },
    hashExists: (hash: Buffer): boolean => getByHash.get(hash) !== undefined,
    insert: (k: KeyInput, now: number): VirtualKey => {
      const row = insert.get({
        id: k.id, team_id: k.teamId, name: k.name, user_id: k.userId, project_id: k.projectId, hash: k.hash, display: k.display,
        limits: toJson(k.limits), allowed_models: toJson(k.allowedModels), metadata: toJson(k.metadata), now, expires_at: k.expiresAtMs,
      });
      if (!row) throw new Error("key insert returned nothing");
      return toKey(row);
    },
    /** undefined when the key does not exist or is already revoked. */
    revoke: (id: string, now: number): VirtualKey | undefined => {
      const r = revoke.get(now, id);
      return r ? toKey(r) : undefined;
    },
    revokeTeam: (teamId: string, now: number): number => revokeTeam.run(now, teamId).changes,
  };
}
