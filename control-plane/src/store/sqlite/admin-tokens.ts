import type { Database } from "better-sqlite3";
import { ADMIN_ROLES, type AdminRole, type AdminToken } from "../../domain/admin-types";
import type { AdminTokenInput } from "../types";
import { stringList, toJson } from "./codec";

interface AdminTokenRow {
  id: string;
  name: string;
  role: string;
  teams: string;
  hash: Buffer;
  display: string;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
  expires_at: number | null;
}

const role = (v: string): AdminRole => ((ADMIN_ROLES as readonly string[]).includes(v) ? (v as AdminRole) : "viewer");

const toToken = (r: AdminTokenRow): AdminToken => ({
  id: r.id, name: r.name, role: role(r.role), teams: stringList(r.teams), hash: r.hash, display: r.display, createdBy: r.created_by,
  createdAtMs: r.created_at, revokedAtMs: r.revoked_at, expiresAtMs: r.expires_at,
});

/** Prepared statements over `admin_tokens`. */
export function createAdminTokensTable(db: Database) {
  const list = db.prepare<[], AdminTokenRow>("SELECT * FROM admin_tokens ORDER BY created_at, id");
  const get = db.prepare<[string], AdminTokenRow>("SELECT * FROM admin_tokens WHERE id = ?");
  const byHash = db.prepare<[Buffer], AdminTokenRow>("SELECT * FROM admin_tokens WHERE hash = ?");
  const insert = db.prepare<[Record<string, unknown>], AdminTokenRow>(
    `INSERT INTO admin_tokens (id, name, role, teams, hash, display, created_by, created_at, revoked_at, expires_at)
     VALUES (@id, @name, @role, @teams, @hash, @display, @created_by, @now, NULL, @expires_at) RETURNING *`,
  );
  const revoke = db.prepare<[number, string], AdminTokenRow>(
    "UPDATE admin_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING *",
  );
  const one = (r: AdminTokenRow | undefined): AdminToken | undefined => (r ? toToken(r) : undefined);
  return {
    list: (): AdminToken[] => list.all().map(toToken),
    get: (id: string): AdminToken | undefined => one(get.get(id)),
    byHash: (hash: Buffer): AdminToken | undefined => one(byHash.get(hash)),
    insert: (t: AdminTokenInput, now: number): AdminToken => {
      const row = insert.get({
        id: t.id, name: t.name, role: t.role, teams: toJson(t.teams), hash: t.hash, display: t.display, created_by: t.createdBy, now,
        expires_at: t.expiresAtMs,
      });
      if (!row) throw new Error("admin token insert returned nothing");
      return toToken(row);
    },
    revoke: (id: string, now: number): AdminToken | undefined => one(revoke.get(now, id)),
  };
}
