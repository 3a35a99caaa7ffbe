import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { runMigrations } from "../migrations";

export const DATABASE_FILE = "sidegate.db";

/**
 * Opens (creating if needed) `dataDir/sidegate.db`: the directory is created with mode 0700 (it holds
 * encrypted credentials and key hashes), WAL journaling, foreign keys on, then pending migrations run.
 */
export function openDatabase(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const db = new BetterSqlite3(join(dataDir, DATABASE_FILE));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    runMigrations(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
