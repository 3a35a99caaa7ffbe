import type { Database } from "better-sqlite3";
import type { AuditDraft, AuditEntry, AuditQuery, AuditResource } from "../../domain/admin-types";
import { parseJson } from "./codec";

interface AuditRow {
  id: number;
  at: number;
  actor_id: string;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string;
  team_id: string;
  before: string | null;
  after: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id, atMs: r.at, actorId: r.actor_id, actorRole: r.actor_role as AuditEntry["actorRole"], action: r.action,
  resourceType: r.resource_type as AuditResource, resourceId: r.resource_id, teamId: r.team_id,
  before: r.before === null ? null : parseJson(r.before), after: r.after === null ? null : parseJson(r.after),
});

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/** The append-only audit log (UPDATE and DELETE are refused by triggers). */
export function createAuditTable(db: Database) {
  const insert = db.prepare<[Record<string, unknown>]>(
    `INSERT INTO audit_log (at, actor_id, actor_role, action, resource_type, resource_id, team_id, before, after)
     VALUES (@at, @actor_id, @actor_role, @action, @resource_type, @resource_id, @team_id, @before, @after)`,
  );
  const query = db.prepare<[Record<string, unknown>], AuditRow>(
    `SELECT * FROM audit_log
     WHERE (@resource_type IS NULL OR resource_type = @resource_type)
       AND (@resource_id IS NULL OR resource_id = @resource_id)
       AND (@actor_id IS NULL OR actor_id = @actor_id)
       AND at >= @from AND at < @to AND id < @before_id
       AND (@teams IS NULL OR team_id IN (SELECT value FROM json_each(@teams)))
     ORDER BY id DESC LIMIT @limit`,
  );
  return {
    append: (d: AuditDraft, atMs: number): number =>
      Number(insert.run({
        at: atMs, actor_id: d.actorId, actor_role: d.actorRole, action: d.action, resource_type: d.resourceType,
        resource_id: d.resourceId, team_id: d.teamId, before: json(d.before), after: json(d.after),
      }).lastInsertRowid),
    list: (q: AuditQuery): AuditEntry[] =>
      query.all({
        resource_type: q.resourceType ?? null, resource_id: q.resourceId ?? null, actor_id: q.actorId ?? null,
        from: q.fromMs ?? 0, to: q.toMs ?? Number.MAX_SAFE_INTEGER, before_id: q.beforeId ?? Number.MAX_SAFE_INTEGER,
        teams: q.teams === undefined ? null : JSON.stringify(q.teams), limit: q.limit,
      }).map(toEntry),
  };
}
