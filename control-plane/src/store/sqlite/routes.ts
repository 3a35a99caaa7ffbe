import type { Database } from "better-sqlite3";
import type { Route, RouteTarget } from "../../domain/types";
import type { RouteInput } from "../types";
import { parseJson, toJson } from "./codec";

interface RouteRow {
  model: string;
  strategy: string;
  targets: string;
  created_at: number;
  updated_at: number;
}

function targets(text: string): RouteTarget[] {
  const v = parseJson(text);
  if (!Array.isArray(v)) return [];
  return v.flatMap((t: unknown) => {
    if (t === null || typeof t !== "object") return [];
    const o = t as Record<string, unknown>;
    if (typeof o["deploymentId"] !== "string") return [];
    return [{ deploymentId: o["deploymentId"], weight: Number(o["weight"] ?? 1), priority: Number(o["priority"] ?? 0) }];
  });
}

const toRoute = (r: RouteRow): Route => ({
  model: r.model,
  strategy: r.strategy === "weighted" ? "weighted" : "priority",
  targets: targets(r.targets),
  createdAtMs: r.created_at,
  updatedAtMs: r.updated_at,
});

/** Prepared statements over `routes`. */
export function createRoutesTable(db: Database) {
  const list = db.prepare<[], RouteRow>("SELECT * FROM routes ORDER BY model");
  const get = db.prepare<[string], RouteRow>("SELECT * FROM routes WHERE model = ?");
  const upsert = db.prepare<[Record<string, unknown>], RouteRow>(
    `INSERT INTO routes (model, strategy, targets, created_at, updated_at) VALUES (@model, @strategy, @targets, @now, @now)
     ON CONFLICT (model) DO UPDATE SET strategy = excluded.strategy, targets = excluded.targets, updated_at = excluded.updated_at
     RETURNING *`,
  );
  const remove = db.prepare<[string]>("DELETE FROM routes WHERE model = ?");
  return {
    list: (): Route[] => list.all().map(toRoute),
    get: (model: string): Route | undefined => {
      const r = get.get(model);
      return r ? toRoute(r) : undefined;
    },
    upsert: (route: RouteInput, now: number): Route => {
      const row = upsert.get({ model: route.model, strategy: route.strategy, targets: toJson(route.targets), now });
      if (!row) throw new Error("route upsert returned nothing");
      return toRoute(row);
    },
    remove: (model: string): boolean => remove.run(model).changes > 0,
  };
}
