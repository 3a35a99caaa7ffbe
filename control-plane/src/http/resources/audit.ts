import { auditEntryJson } from "../governance-presenters";
import { auditListOut, auditQuerySchema } from "../governance-schemas";
import { scopeTeams } from "../scope";
import { ok, type RouteDef } from "../types";
import { timeRange } from "../time-range";
import { validate } from "../validate";

export const DEFAULT_AUDIT_LIMIT = 100;

export const auditRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/audit", name: "audit.list", auth: true, access: "read",
    summary: "The audit log, newest first (a team_admin sees its teams' entries); page with `before_id` = the previous `next_before_id`",
    query: auditQuerySchema, responses: { 200: auditListOut },
    handler: async (req, ctx) => {
      const q = validate(auditQuerySchema, req.query, "query");
      const limit = q.limit ?? DEFAULT_AUDIT_LIMIT;
      const entries = await ctx.store.listAudit({
        limit,
        ...timeRange(q),
        ...scopeTeams(req),
        ...(q.resource_type !== undefined ? { resourceType: q.resource_type } : {}),
        ...(q.resource_id !== undefined ? { resourceId: q.resource_id } : {}),
        ...(q.actor_id !== undefined ? { actorId: q.actor_id } : {}),
        ...(q.before_id !== undefined ? { beforeId: q.before_id } : {}),
      });
      const last = entries[entries.length - 1];
      return ok({ data: entries.map(auditEntryJson), next_before_id: entries.length === limit && last ? last.id : null });
    },
  },
];
