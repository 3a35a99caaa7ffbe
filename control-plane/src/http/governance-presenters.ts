import type { AdminToken, AuditEntry } from "../domain/admin-types";
import type { Budget, Price, PriceCatalog, Project, User } from "../domain/types";
import { iso, isoOrNull } from "./presenters";

/** Domain → admin API JSON for users, projects, admin tokens, audit entries, prices and budgets. Never a secret or hash. */

export function userJson(u: User) {
  return {
    id: u.id, team_id: u.teamId, email: u.email, name: u.name, metadata: { ...u.metadata },
    created_at: iso(u.createdAtMs), updated_at: iso(u.updatedAtMs),
  };
}

export function projectJson(p: Project) {
  return { id: p.id, team_id: p.teamId, name: p.name, metadata: { ...p.metadata }, created_at: iso(p.createdAtMs), updated_at: iso(p.updatedAtMs) };
}

export function adminTokenJson(t: AdminToken, nowMs: number) {
  const status = t.revokedAtMs !== null ? "revoked" : t.expiresAtMs !== null && t.expiresAtMs <= nowMs ? "expired" : "active";
  return {
    id: t.id, name: t.name, role: t.role, teams: [...t.teams], display: t.display, status, created_by: t.createdBy,
    created_at: iso(t.createdAtMs), revoked_at: isoOrNull(t.revokedAtMs), expires_at: isoOrNull(t.expiresAtMs),
  };
}

export function auditEntryJson(e: AuditEntry) {
  return {
    id: e.id, at: iso(e.atMs), actor_id: e.actorId, actor_role: e.actorRole, action: e.action, resource_type: e.resourceType,
    resource_id: e.resourceId, team_id: e.teamId === "" ? null : e.teamId, before: e.before, after: e.after,
  };
}

export function priceJson(p: Price) {
  return {
    provider: p.provider, model: p.model, input_per_mtok: p.inputPerMtok, output_per_mtok: p.outputPerMtok,
    cached_input_per_mtok: p.cachedInputPerMtok, cache_write_per_mtok: p.cacheWritePerMtok, reasoning_per_mtok: p.reasoningPerMtok,
  };
}

export function priceCatalogJson(c: PriceCatalog, liveVersion: string | undefined) {
  return {
    version: c.version, created_by: c.createdBy, created_at: iso(c.createdAtMs), note: c.note, live: c.version === liveVersion,
    prices: c.prices.map(priceJson),
  };
}

export function budgetJson(scope: "team" | "key", ownerId: string, teamId: string, b: Budget) {
  return { scope, owner_id: ownerId, team_id: teamId, id: b.id, limit_usd: b.limitUsd, period: b.period, hard: b.hard, timezone: b.timezone };
}
