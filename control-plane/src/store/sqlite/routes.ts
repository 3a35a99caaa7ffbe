import type { Database } from "better-sqlite3";
import { DEFAULT_RETRY_SETTINGS, DEFAULT_ROUTE_TIMEOUTS } from "../../domain/route-settings";
import { ROUTE_STRATEGIES, type RetrySettings, type Route, type RouteStrategy, type RouteTarget, type RouteTimeouts } from "../../domain/types";
import type { RouteInput } from "../types";
import { parseJson, toJson } from "./codec";

interface RouteRow {
  model: string;
  strategy: string;
  targets: string;
  settings: string;
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

function strategy(text: string): RouteStrategy {
  return (ROUTE_STRATEGIES as readonly string[]).includes(text) ? (text as RouteStrategy) : "priority";
}

const num = (o: Record<string, unknown>, k: string): number => (typeof o[k] === "number" ? (o[k] as number) : 0);

/** The `settings` column: `{retry: {...}, timeouts: {...}}` in domain field names. */
function settings(text: string): { retry: RetrySettings; timeouts: RouteTimeouts } {
  const v = parseJson(text);
  const o = v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {};
  const r = o["retry"] !== null && typeof o["retry"] === "object" ? (o["retry"] as Record<string, unknown>) : null;
  const t = o["timeouts"] !== null && typeof o["timeouts"] === "object" ? (o["timeouts"] as Record<string, unknown>) : null;
  return {
    retry:
      r === null
        ? DEFAULT_RETRY_SETTINGS
        : {
            maxAttempts: num(r, "maxAttempts"),
            retryOn: Array.isArray(r["retryOn"]) ? r["retryOn"].filter((x): x is string => typeof x === "string") : [],
            backoffBaseMs: num(r, "backoffBaseMs"),
            backoffMaxMs: num(r, "backoffMaxMs"),
            maxRetryAfterMs: num(r, "maxRetryAfterMs"),
          },
    timeouts:
      t === null
        ? DEFAULT_ROUTE_TIMEOUTS
        : { connectMs: num(t, "connectMs"), firstTokenMs: num(t, "firstTokenMs"), idleMs: num(t, "idleMs"), totalMs: num(t, "totalMs") },
  };
}

const toRoute = (r: RouteRow): Route => ({
  model: r.model,
  strategy: strategy(r.strategy),
  targets: targets(r.targets),
  ...settings(r.settings),
  createdAtMs: r.created_at,
  updatedAtMs: r.updated_at,
});

/** Prepared statements over `routes`. */
export function createRoutesTable(db: Database) {
  const list = db.prepare<[], RouteRow>("SELECT * FROM routes ORDER BY model");
  const get = db.prepare<[string], RouteRow>("SELECT * FROM routes WHERE model = ?");
  const upsert = db.prepare<[Record<string, unknown>], RouteRow>(
    `INSERT INTO routes (model, strategy, targets, settings, created_at, updated_at)
     VALUES (@model, @strategy, @targets, @settings, @now, @now)
     ON CONFLICT (model) DO UPDATE SET strategy = excluded.strategy, targets = excluded.targets, settings = excluded.settings,
       updated_at = excluded.updated_at
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
      const row = upsert.get({
        model: route.model,
        strategy: route.strategy,
        targets: toJson(route.targets),
        settings: toJson({ retry: route.retry, timeouts: route.timeouts }),
        now,
      });
      if (!row) throw new Error("route upsert returned nothing");
      return toRoute(row);
    },
    remove: (model: string): boolean => remove.run(model).changes > 0,
  };
}
