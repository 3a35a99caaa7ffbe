import { listOf, usageQuerySchema, usageRecordOut, usageRecordsQuerySchema, usageRowOut } from "../schemas";
import { usageRecordJson, usageRowJson } from "../presenters";
import { ok, type RouteDef } from "../types";
import { invalid, validate } from "../validate";

export const DEFAULT_RECORDS_LIMIT = 100;

export const usageRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/usage", name: "usage.summary", auth: true,
    summary: "Aggregated usage over request records (`from` inclusive, `to` exclusive, on started_at); no group_by → one \"total\" row",
    query: usageQuerySchema, responses: { 200: listOf(usageRowOut) },
    handler: async (req, ctx) => {
      const q = validate(usageQuerySchema, req.query, "query");
      const fromMs = q.from === undefined ? undefined : Date.parse(q.from);
      const toMs = q.to === undefined ? undefined : Date.parse(q.to);
      if (fromMs !== undefined && toMs !== undefined && toMs < fromMs) invalid("The query is invalid.", [{ path: "to", message: "must not be before from" }]);
      const rows = await ctx.store.usageSummary({
        ...(q.group_by ? { groupBy: q.group_by } : {}),
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(toMs !== undefined ? { toMs } : {}),
      });
      return ok({ data: rows.map(usageRowJson) });
    },
  },
  {
    method: "GET", path: "/api/v1/usage/records", name: "usage.records", auth: true, summary: "Most recent request records (metadata only)",
    query: usageRecordsQuerySchema, responses: { 200: listOf(usageRecordOut) },
    handler: async (req, ctx) => {
      const q = validate(usageRecordsQuerySchema, req.query, "query");
      const records = await ctx.store.usageRecords({ limit: q.limit ?? DEFAULT_RECORDS_LIMIT, ...(q.key_id ? { keyId: q.key_id } : {}) });
      return ok({ data: records.map(usageRecordJson) });
    },
  },
];
