import type { Database } from "better-sqlite3";
import { DEFAULT_CATALOG_VERSION, DEFAULT_PRICES } from "./price-catalog";

/** Migration 3: users, projects, team owners, rotation grace hashes, admin tokens, audit log, price catalog versions. */
const GOVERNANCE_SCHEMA = `
ALTER TABLE teams ADD COLUMN owner_user_id TEXT NOT NULL DEFAULT '';

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX users_team ON users(team_id);

CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX projects_team ON projects(team_id);

CREATE TABLE key_previous_hashes (
  hash BLOB PRIMARY KEY,
  key_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX key_previous_hashes_key ON key_previous_hashes(key_id);

CREATE TABLE admin_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('org_admin', 'team_admin', 'viewer')),
  teams TEXT NOT NULL DEFAULT '[]',
  hash BLOB NOT NULL UNIQUE,
  display TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  expires_at INTEGER
) STRICT;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  action TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  team_id TEXT NOT NULL DEFAULT '',
  before TEXT,
  after TEXT
) STRICT;
CREATE INDEX audit_log_resource ON audit_log(resource_type, resource_id);
CREATE INDEX audit_log_actor ON audit_log(actor_id);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_team ON audit_log(team_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE price_catalogs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  version TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  prices TEXT NOT NULL
) STRICT;

CREATE INDEX usage_records_user ON usage_records(user_id, started_at);
CREATE INDEX usage_records_project ON usage_records(project_id, started_at);
`;

const PRICE_COLUMNS = `provider, model, input_per_mtok AS inputPerMtok, output_per_mtok AS outputPerMtok,
  cached_input_per_mtok AS cachedInputPerMtok, cache_write_per_mtok AS cacheWritePerMtok, reasoning_per_mtok AS reasoningPerMtok`;

/**
 * Creates the governance tables, keeps the catalog seeded by migration 2 as the first recorded version,
 * then installs the current default catalog as the live one.
 */
export function applyGovernanceSchema(db: Database, nowMs: number): void {
  db.exec(GOVERNANCE_SCHEMA);
  const recordCatalog = db.prepare("INSERT INTO price_catalogs (version, created_by, created_at, note, prices) VALUES (?, 'system', ?, ?, ?)");
  const seeded = db.prepare(`SELECT catalog_version AS v, ${PRICE_COLUMNS} FROM prices ORDER BY provider, model`).all() as { v: string }[];
  const seededVersion = seeded[0]?.v;
  if (seededVersion !== undefined && seededVersion !== DEFAULT_CATALOG_VERSION) {
    recordCatalog.run(seededVersion, nowMs, "default catalog", JSON.stringify(seeded.map(({ v: _v, ...p }) => p)));
  }
  db.exec("DELETE FROM prices");
  const insert = db.prepare(
    `INSERT INTO prices (provider, model, input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok,
       reasoning_per_mtok, catalog_version)
     VALUES (@provider, @model, @inputPerMtok, @outputPerMtok, @cachedInputPerMtok, @cacheWritePerMtok, @reasoningPerMtok, @catalogVersion)`,
  );
  for (const p of DEFAULT_PRICES) insert.run(p);
  recordCatalog.run(DEFAULT_CATALOG_VERSION, nowMs, "default catalog", JSON.stringify(DEFAULT_PRICES.map(({ catalogVersion: _c, ...p }) => p)));
}
