import type { Database } from "better-sqlite3";

/** The single-row policy version counter. Call `bump` only inside a write transaction. */
export function createPolicyVersion(db: Database): { get(): number; bump(nowMs: number): number } {
  const get = db.prepare<[], { version: number }>("SELECT version FROM policy_version WHERE id = 1");
  const bump = db.prepare<[number], { version: number }>(
    "UPDATE policy_version SET version = version + 1, updated_at = ? WHERE id = 1 RETURNING version",
  );
  return {
    get: () => get.get()?.version ?? 0,
    bump: (nowMs) => {
      const row = bump.get(nowMs);
      if (!row) throw new Error("policy_version row missing");
      return row.version;
    },
  };
}
