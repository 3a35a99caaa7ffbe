/** Admin identities, their roles, and the audit trail of what they changed. */

export const ADMIN_ROLES = ["org_admin", "team_admin", "viewer"] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export interface AdminToken {
  readonly id: string;
  readonly name: string;
  readonly role: AdminRole;
  /** team_admin only: the teams it may see and change. */
  readonly teams: readonly string[];
  /** SHA-256 of the secret. The secret itself is never stored. */
  readonly hash: Buffer;
  readonly display: string;
  /** Id of the admin token that created this one. */
  readonly createdBy: string;
  readonly createdAtMs: number;
  readonly revokedAtMs: number | null;
  readonly expiresAtMs: number | null;
}

/** Who is calling the admin API. `teams` null = every team (org_admin, viewer). */
export interface Actor {
  readonly tokenId: string;
  readonly role: AdminRole;
  readonly teams: ReadonlySet<string> | null;
}

export type AuditResource =
  | "team" | "user" | "project" | "key" | "budget" | "provider" | "deployment" | "route" | "model_limit" | "prices" | "admin_token";

export interface AuditDraft {
  readonly actorId: string;
  readonly actorRole: AdminRole | "system";
  /** e.g. "create", "update", "delete", "rotate", "revoke". */
  readonly action: string;
  readonly resourceType: AuditResource;
  readonly resourceId: string;
  /** The team the resource belongs to ("" = org-wide), for team-scoped reads of the log. */
  readonly teamId: string;
  /** Redacted JSON of the resource before / after; null = did not exist. */
  readonly before: unknown;
  readonly after: unknown;
}

export interface AuditEntry extends AuditDraft {
  readonly id: number;
  readonly atMs: number;
}

export interface AuditQuery {
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly actorId?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Only entries of these teams (team_admin scope). */
  readonly teams?: readonly string[];
  /** Entries with id < beforeId (paging backwards from the newest). */
  readonly beforeId?: number;
  readonly limit: number;
}
