import type { Database } from "better-sqlite3";
import { applyGovernanceSchema } from "./governance-schema";
import { DEFAULT_PRICES } from "./price-catalog";

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: (db: Database, nowMs: number) => void;
}

const INITIAL_SCHEMA = `
CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  limits TEXT NOT NULL DEFAULT '{}',
  allowed_models TEXT NOT NULL DEFAULT '[]',
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE virtual_keys (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  user_id TEXT NOT NULL DEFAULT '',
  project_id TEXT NOT NULL DEFAULT '',
  hash BLOB NOT NULL UNIQUE,
  display TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  limits TEXT NOT NULL DEFAULT '{}',
  allowed_models TEXT NOT NULL DEFAULT '[]',
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  expires_at INTEGER
) STRICT;
CREATE INDEX virtual_keys_team ON virtual_keys(team_id);
CREATE INDEX virtual_keys_status ON virtual_keys(status);

CREATE TABLE provider_credentials (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  secret_fields TEXT NOT NULL DEFAULT '[]',
  key_version INTEGER NOT NULL,
  wrapped_key BLOB NOT NULL,
  wrap_iv BLOB NOT NULL,
  wrap_tag BLOB NOT NULL,
  data_iv BLOB NOT NULL,
  data_tag BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE deployments (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  base_url TEXT NOT NULL,
  upstream_model TEXT NOT NULL DEFAULT '',
  credential_id TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL DEFAULT '',
  options TEXT NOT NULL DEFAULT '{}',
  timeout_ms INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE routes (
  model TEXT PRIMARY KEY,
  strategy TEXT NOT NULL CHECK (strategy IN ('priority', 'weighted')),
  targets TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE prices (
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  input_per_mtok REAL NOT NULL,
  output_per_mtok REAL NOT NULL,
  cached_input_per_mtok REAL NOT NULL DEFAULT 0,
  cache_write_per_mtok REAL NOT NULL DEFAULT 0,
  reasoning_per_mtok REAL NOT NULL DEFAULT 0,
  catalog_version TEXT NOT NULL,
  PRIMARY KEY (provider, model)
) STRICT, WITHOUT ROWID;

CREATE TABLE policy_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
INSERT INTO policy_version (id, version, updated_at) VALUES (1, 1, CAST(unixepoch('subsec') * 1000 AS INTEGER));

CREATE TABLE usage_batches (
  producer_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  sidecar_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  delta_count INTEGER NOT NULL,
  PRIMARY KEY (producer_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE usage_records (
  id INTEGER PRIMARY KEY,
  producer_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  sidecar_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  upstream_model TEXT NOT NULL,
  status INTEGER NOT NULL,
  error_code TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  latency_ms INTEGER NOT NULL,
  ttft_ms INTEGER NOT NULL,
  stream INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  endpoint TEXT NOT NULL,
  tags TEXT NOT NULL,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX usage_records_started ON usage_records(started_at);
CREATE INDEX usage_records_key ON usage_records(key_id, started_at);
CREATE INDEX usage_records_team ON usage_records(team_id, started_at);

CREATE TABLE usage_deltas (
  id INTEGER PRIMARY KEY,
  producer_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  team_id TEXT NOT NULL,
  model TEXT NOT NULL,
  requests INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX usage_deltas_key ON usage_deltas(key_id, received_at);
`;

const GLOBAL_LIMITS_SCHEMA = `
CREATE TABLE global_model_limits (
  model TEXT PRIMARY KEY,
  rpm INTEGER NOT NULL DEFAULT 0,
  tpm INTEGER NOT NULL DEFAULT 0,
  max_concurrent INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;

function seedDefaultPrices(db: Database): void {
  const insert = db.prepare(
    `INSERT INTO prices (provider, model, input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok,
       reasoning_per_mtok, catalog_version)
     VALUES (@provider, @model, @inputPerMtok, @outputPerMtok, @cachedInputPerMtok, @cacheWritePerMtok, @reasoningPerMtok, @catalogVersion)
     ON CONFLICT (provider, model) DO UPDATE SET input_per_mtok = excluded.input_per_mtok, output_per_mtok = excluded.output_per_mtok,
       cached_input_per_mtok = excluded.cached_input_per_mtok, cache_write_per_mtok = excluded.cache_write_per_mtok,
       reasoning_per_mtok = excluded.reasoning_per_mtok, catalog_version = excluded.catalog_version`,
  );
  for (const p of DEFAULT_PRICES) insert.run(p);
}

/** Routes gain more strategies and per-route retry/timeout settings (SQLite rebuilds a table to change a CHECK). */
const ROUTE_SETTINGS = `
CREATE TABLE routes_v2 (
  model TEXT PRIMARY KEY,
  strategy TEXT NOT NULL CHECK (strategy IN ('priority', 'weighted', 'lowest_latency', 'least_in_flight')),
  targets TEXT NOT NULL DEFAULT '[]',
  settings TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
INSERT INTO routes_v2 (model, strategy, targets, created_at, updated_at)
  SELECT model, strategy, targets, created_at, updated_at FROM routes;
DROP TABLE routes;
ALTER TABLE routes_v2 RENAME TO routes;
`;

/** Ordered, append-only. Never edit an applied migration: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "initial schema", up: (db) => db.exec(INITIAL_SCHEMA) },
  { version: 2, name: "default price catalog", up: seedDefaultPrices },
  {
    version: 3,
    name: "deployments.direct_models",
    up: (db) => db.exec("ALTER TABLE deployments ADD COLUMN direct_models TEXT NOT NULL DEFAULT '[]'"),
  },
  { version: 4, name: "route strategies, retry and timeout settings", up: (db) => db.exec(ROUTE_SETTINGS) },
  { version: 5, name: "governance: users, projects, rotation, admin tokens, audit log, price catalog versions", up: applyGovernanceSchema },
  { version: 6, name: "global model limits", up: (db) => db.exec(GLOBAL_LIMITS_SCHEMA) },
];

/**
 * Applies every migration newer than the database, each once, each in its own transaction together
 * with its `schema_migrations` row. Refuses a database written by a newer build.
 */
export function runMigrations(db: Database, migrations: readonly Migration[] = MIGRATIONS, nowMs: number = Date.now()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
  const row = db.prepare("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").get() as { v: number };
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (row.v > latest) {
    throw new Error(`store schema version ${row.v} is newer than this build supports (${latest}); refusing to start`);
  }
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= row.v) continue;
    db.transaction(() => {
      m.up(db, nowMs);
      record.run(m.version, m.name, nowMs);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
