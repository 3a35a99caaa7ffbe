import type { Database } from "better-sqlite3";
import type { Team } from "../../domain/types";
import type { TeamInput } from "../types";
import { limits, stringList, stringMap, toJson } from "./codec";

interface TeamRow {
  id: string;
  name: string;
  owner_user_id: string;
  limits: string;
  allowed_models: string;
  metadata: string;
  created_at: number;
  updated_at: number;
}

const toTeam = (r: TeamRow): Team => ({
  id: r.id,
  name: r.name,
  ownerUserId: r.owner_user_id,
  limits: limits(r.limits),
  allowedModels: stringList(r.allowed_models),
  metadata: stringMap(r.metadata),
  createdAtMs: r.created_at,
  updatedAtMs: r.updated_at,
});

/** Prepared statements over `teams`; no transactions here (the store wraps them). */
export function createTeamsTable(db: Database) {
  const list = db.prepare<[], TeamRow>("SELECT * FROM teams ORDER BY id");
  const get = db.prepare<[string], TeamRow>("SELECT * FROM teams WHERE id = ?");
  const upsert = db.prepare<[Record<string, unknown>], TeamRow>(
    `INSERT INTO teams (id, name, owner_user_id, limits, allowed_models, metadata, created_at, updated_at)
     VALUES (@id, @name, @owner_user_id, @limits, @allowed_models, @metadata, @now, @now)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, owner_user_id = excluded.owner_user_id, limits = excluded.limits, allowed_models = excluded.allowed_models,
       metadata = excluded.metadata, updated_at = excluded.updated_at
     RETURNING *`,
  );
  const remove = db.prepare<[string]>("DELETE FROM teams WHERE id = ?");
  return {
    list: (): Team[] => list.all().map(toTeam),
    get: (id: string): Team | undefined => {
      const r = get.get(id);
      return r ? toTeam(r) : undefined;
    },
    upsert: (t: TeamInput, now: number): Team => {
      const row = upsert.get({
        id: t.id, name: t.name, owner_user_id: t.ownerUserId, limits: toJson(t.limits), allowed_models: toJson(t.allowedModels), metadata: toJson(t.metadata), now,
      });
      if (!row) throw new Error("team upsert returned nothing");
      return toTeam(row);
    },
    remove: (id: string): boolean => remove.run(id).changes > 0,
  };
}
