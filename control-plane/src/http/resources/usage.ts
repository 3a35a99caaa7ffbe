import type { UsageFilter } from "../../domain/usage-types";
import { listOf, usageQuerySchema, usageRecordOut, usageRecordsQuerySchema, usageRowOut } from "../schemas";
import { usageRecordJson, usageRowJson } from "../presenters";
import { requireTeam, scopeTeams } from "../scope";
import { ok, type AdminRequest, type RouteDef } from "../types";
import { validate } from "../validate";
import { timeRange } from "../time-range";

export const DEFAULT_RECORDS_LIMIT = 100;

type FilterQuery = {
  key_id?: string | undefined; team_id?: string | undefined; user_id?: string | undefined; project_id?: string | undefined;
  model?: string | undefined; provider?: string | undefined; status?: number | undefined; from?: string | undefined; to?: string | undefined;
};

/** Query → store filter, restricted to the caller's teams (a team_admin asking for another team gets 403). */
function usageFilter(req: AdminRequest, q: FilterQuery): UsageFilter {
  if (q.team_id !== undefined) requireTeam(req, q.team_id);
  const set = <K extends keyof UsageFilter>(k: K, v: UsageFilter[K] | undefined) => (v === undefined ? {} : { [k]: v });
  return {
    ...timeRange(q), ...scopeTeams(req),
    ...set("keyId", q.key_id), ...set("teamId", q.team_id), ...set("userId", q.user_id), ...set("projectId", q.project_id),
    ...set("model", q.model), ...set("provider", q.provider), ...set("status", q.status),
  };
}

export const usageRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/usage", name: "usage.summary", auth: true, access: "read",
    summary: "Aggregated usage over request records (`from` inclusive, `to` exclusive, on started_at); no group_by → one \"total\" row",
    query: usageQuerySchema, responses: { 200: listOf(usageRowOut) },
    handler: async (req, ctx) => {
      const q = validate(usageQuerySchema, req.query, "query");
      const rows = await ctx.store.usageSummary({ ...usageFilter(req, q), ...(q.group_by ? { groupBy: q.group_by } : {}) });
      return ok({ data: rows.map(usageRowJson) });
    },
  },
  {
    method: "GET", path: "/api/v1/usage/records", name: "usage.records", auth: true, access: "read",
    summary: "Most recent request records (metadata only), filterable like /api/v1/usage",
    query: usageRecordsQuerySchema, responses: { 200: listOf(usageRecordOut) },
    handler: async (req, ctx) => {
      const q = validate(usageRecordsQuerySchema, req.query, "query");
      const records = await ctx.store.usageRecords({ ...usageFilter(req, q), limit: q.limit ?? DEFAULT_RECORDS_LIMIT });
      return ok({ data: records.map(usageRecordJson) });
    },
  },
];
