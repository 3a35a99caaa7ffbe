import type { Database, Statement } from "better-sqlite3";
import type { StoredRequestRecord, UsageBatch, UsageFilter, UsageGroupBy, UsageQuery, UsageRow } from "../../domain/usage-types";
import type { SpendScope, UsageRecordsQuery } from "../types";
import { stringMap, toJson } from "./codec";

interface SummaryRow {
  grp: string;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
}

interface RecordRow {
  producer_id: string;
  seq: number;
  sidecar_id: string;
  request_id: string;
  key_id: string;
  team_id: string;
  user_id: string;
  project_id: string;
  model: string;
  provider: string;
  deployment_id: string;
  upstream_model: string;
  status: number;
  error_code: string;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  latency_ms: number;
  ttft_ms: number;
  stream: number;
  started_at: number;
  attempts: number;
  endpoint: string;
  tags: string;
  received_at: number;
}

const toRecord = (r: RecordRow): StoredRequestRecord => ({
  requestId: r.request_id, keyId: r.key_id, teamId: r.team_id, userId: r.user_id, projectId: r.project_id, model: r.model,
  provider: r.provider, deploymentId: r.deployment_id, upstreamModel: r.upstream_model, status: r.status, errorCode: r.error_code,
  promptTokens: r.prompt_tokens, completionTokens: r.completion_tokens, cachedTokens: r.cached_tokens,
  cacheWriteTokens: r.cache_write_tokens, reasoningTokens: r.reasoning_tokens, costUsd: r.cost_usd, latencyMs: r.latency_ms,
  ttftMs: r.ttft_ms, stream: r.stream !== 0, startedAtMs: r.started_at, attempts: r.attempts, endpoint: r.endpoint,
  tags: stringMap(r.tags), sidecarId: r.sidecar_id, producerId: r.producer_id, seq: r.seq, receivedAtMs: r.received_at,
});

const GROUP_COLUMNS: Record<UsageGroupBy | "total", string> = {
  total: "'total'",
  key_id: "key_id",
  team_id: "team_id",
  user_id: "user_id",
  project_id: "project_id",
  model: "model",
  provider: "provider",
  status: "status",
};

const FILTER_COLUMNS = [
  ["keyId", "key_id"], ["teamId", "team_id"], ["userId", "user_id"], ["projectId", "project_id"],
  ["model", "model"], ["provider", "provider"], ["status", "status"],
] as const;

/** WHERE clause + named parameters for a filter; the SQL text depends only on which filters are set. */
export function usageWhere(f: UsageFilter): { sql: string; params: Record<string, unknown> } {
  const clauses = ["started_at >= @from", "started_at < @to"];
  const params: Record<string, unknown> = { from: f.fromMs ?? 0, to: f.toMs ?? Number.MAX_SAFE_INTEGER };
  for (const [field, column] of FILTER_COLUMNS) {
    const v = f[field];
    if (v === undefined) continue;
    clauses.push(`${column} = @${field}`);
    params[field] = v;
  }
  if (f.teams !== undefined) {
    clauses.push("team_id IN (SELECT value FROM json_each(@teams))");
    params["teams"] = JSON.stringify(f.teams);
  }
  return { sql: clauses.join(" AND "), params };
}

type RecordParams = [
  producerId: string, seq: number, sidecarId: string, requestId: string, keyId: string, teamId: string, userId: string,
  projectId: string, model: string, provider: string, deploymentId: string, upstreamModel: string, status: number,
  errorCode: string, promptTokens: number, completionTokens: number, cachedTokens: number, cacheWriteTokens: number,
  reasoningTokens: number, costUsd: number, latencyMs: number, ttftMs: number, stream: number, startedAtMs: number,
  attempts: number, endpoint: string, tags: string, receivedAtMs: number,
];

/** Most records carry no tags: their column is this constant, not a fresh JSON.stringify. */
const tagsJson = (tags: Readonly<Record<string, string>>): string => {
  for (const _ in tags) return toJson(tags);
  return "{}";
};

/** Upper bound of an open time range. */
const MAX_TIME = Number.MAX_SAFE_INTEGER;

/** Prepared statements over the usage tables. `insertBatch` must run inside a transaction. */
export function createUsageTables(db: Database) {
  const claim = db.prepare<[string, number, string, number, number, number]>(
    `INSERT INTO usage_batches (producer_id, seq, sidecar_id, received_at, record_count, delta_count) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (producer_id, seq) DO NOTHING`,
  );
  // Positional parameters, bound from the record's fields in place: no per-row parameter object to build
  // and no name lookups (named binding of a spread copy cost more than the insert itself).
  const insertRecord = db.prepare<RecordParams>(
    `INSERT INTO usage_records (producer_id, seq, sidecar_id, request_id, key_id, team_id, user_id, project_id, model, provider,
       deployment_id, upstream_model, status, error_code, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens,
       reasoning_tokens, cost_usd, latency_ms, ttft_ms, stream, started_at, attempts, endpoint, tags, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertDelta = db.prepare<[string, number, string, string, string, number, number, number, number, number]>(
    `INSERT INTO usage_deltas (producer_id, seq, key_id, team_id, model, requests, prompt_tokens, completion_tokens, cost_usd, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const spendOf = {
    team: db.prepare<[string, number, number], { c: number }>(
      "SELECT COALESCE(SUM(cost_usd), 0) AS c FROM usage_records WHERE team_id = ? AND started_at >= ? AND started_at < ?",
    ),
    key: db.prepare<[string, number, number], { c: number }>(
      "SELECT COALESCE(SUM(cost_usd), 0) AS c FROM usage_records WHERE key_id = ? AND started_at >= ? AND started_at < ?",
    ),
  };
  const statements = new Map<string, Statement<[Record<string, unknown>], SummaryRow & RecordRow>>();
  const prepared = (sql: string) => {
    let stmt = statements.get(sql);
    if (stmt === undefined) {
      stmt = db.prepare<[Record<string, unknown>], SummaryRow & RecordRow>(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };

  return {
    spend(who: SpendScope, fromMs: number, toMs: number): number {
      return spendOf[who.scope].get(who.id, fromMs, Math.min(toMs, MAX_TIME))?.c ?? 0;
    },
    /** false when (producer_id, seq) was already stored: nothing is inserted. */
    insertBatch(batch: UsageBatch, receivedAtMs: number): boolean {
      const { producerId, seq, sidecarId } = batch;
      if (claim.run(producerId, seq, sidecarId, receivedAtMs, batch.records.length, batch.deltas.length).changes === 0) return false;
      for (const r of batch.records) {
        insertRecord.run(
          producerId, seq, sidecarId, r.requestId, r.keyId, r.teamId, r.userId, r.projectId, r.model, r.provider,
          r.deploymentId, r.upstreamModel, r.status, r.errorCode, r.promptTokens, r.completionTokens, r.cachedTokens,
          r.cacheWriteTokens, r.reasoningTokens, r.costUsd, r.latencyMs, r.ttftMs, r.stream ? 1 : 0, r.startedAtMs,
          r.attempts, r.endpoint, tagsJson(r.tags), receivedAtMs,
        );
      }
      for (const d of batch.deltas) {
        insertDelta.run(producerId, seq, d.keyId, d.teamId, d.model, d.requests, d.promptTokens, d.completionTokens, d.costUsd, receivedAtMs);
      }
      return true;
    },
    summary(q: UsageQuery): UsageRow[] {
      const column = GROUP_COLUMNS[q.groupBy ?? "total"];
      const { sql, params } = usageWhere(q);
      const groupBy = q.groupBy === undefined ? "" : `GROUP BY ${column} ORDER BY cost_usd DESC, requests DESC, grp`;
      const rows = prepared(
        `SELECT ${column} AS grp, COUNT(*) AS requests, COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens,
           COALESCE(SUM(completion_tokens), 0) AS completion_tokens, COALESCE(SUM(cost_usd), 0) AS cost_usd
         FROM usage_records WHERE ${sql} ${groupBy}`,
      ).all(params);
      return rows.map((r) => ({
        group: String(r.grp), requests: r.requests, promptTokens: r.prompt_tokens, completionTokens: r.completion_tokens, costUsd: r.cost_usd,
      }));
    },
    records(q: UsageRecordsQuery): StoredRequestRecord[] {
      const { sql, params } = usageWhere(q);
      return prepared(`SELECT * FROM usage_records WHERE ${sql} ORDER BY started_at DESC, id DESC LIMIT @limit`)
        .all({ ...params, limit: q.limit })
        .map(toRecord);
    },
  };
}
