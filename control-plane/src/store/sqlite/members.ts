import type { Database } from "better-sqlite3";
import type { Project, User } from "../../domain/types";
import type { ProjectInput, UserInput } from "../types";
import { stringMap, toJson } from "./codec";

interface MemberRow {
  id: string;
  team_id: string;
  email?: string;
  name: string;
  metadata: string;
  created_at: number;
  updated_at: number;
}

/** Prepared statements over a team-owned table (`users`, `projects`): same shape, users add `email`. */
function createMemberTable<T, I extends { readonly id: string }>(
  db: Database,
  table: "users" | "projects",
  columns: readonly string[],
  toValue: (r: MemberRow) => T,
  toRow: (input: I) => Record<string, unknown>,
) {
  const cols = ["id", "team_id", ...columns, "name", "metadata"];
  const list = db.prepare<[], MemberRow>(`SELECT * FROM ${table} ORDER BY id`);
  const listByTeam = db.prepare<[string], MemberRow>(`SELECT * FROM ${table} WHERE team_id = ? ORDER BY id`);
  const get = db.prepare<[string], MemberRow>(`SELECT * FROM ${table} WHERE id = ?`);
  const upsert = db.prepare<[Record<string, unknown>], MemberRow>(
    `INSERT INTO ${table} (${cols.join(", ")}, created_at, updated_at) VALUES (${cols.map((c) => `@${c}`).join(", ")}, @now, @now)
     ON CONFLICT (id) DO UPDATE SET ${cols.slice(1).map((c) => `${c} = excluded.${c}`).join(", ")}, updated_at = excluded.updated_at
     RETURNING *`,
  );
  const remove = db.prepare<[string]>(`DELETE FROM ${table} WHERE id = ?`);
  const removeTeam = db.prepare<[string]>(`DELETE FROM ${table} WHERE team_id = ?`);
  return {
    list: (teamId?: string): T[] => (teamId === undefined ? list.all() : listByTeam.all(teamId)).map(toValue),
    get: (id: string): T | undefined => {
      const r = get.get(id);
      return r ? toValue(r) : undefined;
    },
    upsert: (input: I, now: number): T => {
      const row = upsert.get({ ...toRow(input), now });
      if (!row) throw new Error(`${table} upsert returned nothing`);
      return toValue(row);
    },
    remove: (id: string): boolean => remove.run(id).changes > 0,
    removeTeam: (teamId: string): number => removeTeam.run(teamId).changes,
  };
}

const stamps = (r: MemberRow) => ({ metadata: stringMap(r.metadata), createdAtMs: r.created_at, updatedAtMs: r.updated_at });

export function createUsersTable(db: Database) {
  return createMemberTable<User, UserInput>(
    db, "users", ["email"],
    (r) => ({ id: r.id, teamId: r.team_id, email: r.email ?? "", name: r.name, ...stamps(r) }),
    (u) => ({ id: u.id, team_id: u.teamId, email: u.email, name: u.name, metadata: toJson(u.metadata) }),
  );
}

export function createProjectsTable(db: Database) {
  return createMemberTable<Project, ProjectInput>(
    db, "projects", [],
    (r) => ({ id: r.id, teamId: r.team_id, name: r.name, ...stamps(r) }),
    (p) => ({ id: p.id, team_id: p.teamId, name: p.name, metadata: toJson(p.metadata) }),
  );
}
