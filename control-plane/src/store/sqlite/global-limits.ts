import type { Database } from "better-sqlite3";
import type { GlobalModelLimit } from "../../domain/types";
import type { GlobalLimitInput } from "../types";

interface GlobalLimitRow {
  model: string;
  rpm: number;
  tpm: number;
  max_concurrent: number;
  created_at: number;
  updated_at: number;
}

const toLimit = (r: GlobalLimitRow): GlobalModelLimit => ({
  model: r.model, rpm: r.rpm, tpm: r.tpm, maxConcurrent: r.max_concurrent, createdAtMs: r.created_at, updatedAtMs: r.updated_at,
});

/** Prepared statements over `global_model_limits`; no transactions here (the store wraps them). */
export function createGlobalLimitsTable(db: Database) {
  const list = db.prepare<[], GlobalLimitRow>("SELECT * FROM global_model_limits ORDER BY model");
  const get = db.prepare<[string], GlobalLimitRow>("SELECT * FROM global_model_limits WHERE model = ?");
  const upsert = db.prepare<[Record<string, unknown>], GlobalLimitRow>(
    `INSERT INTO global_model_limits (model, rpm, tpm, max_concurrent, created_at, updated_at)
     VALUES (@model, @rpm, @tpm, @maxConcurrent, @now, @now)
     ON CONFLICT (model) DO UPDATE SET rpm = excluded.rpm, tpm = excluded.tpm, max_concurrent = excluded.max_concurrent,
       updated_at = excluded.updated_at
     RETURNING *`,
  );
  const remove = db.prepare<[string]>("DELETE FROM global_model_limits WHERE model = ?");
  return {
    list: (): GlobalModelLimit[] => list.all().map(toLimit),
    get: (model: string): GlobalModelLimit | undefined => {
      const r = get.get(model);
      return r ? toLimit(r) : undefined;
    },
    upsert: (g: GlobalLimitInput, now: number): GlobalModelLimit => {
      const row = upsert.get({ model: g.model, rpm: g.rpm, tpm: g.tpm, maxConcurrent: g.maxConcurrent, now });
      if (!row) throw new Error("global limit upsert returned nothing");
      return toLimit(row);
    },
    remove: (model: string): boolean => remove.run(model).changes > 0,
  };
}
