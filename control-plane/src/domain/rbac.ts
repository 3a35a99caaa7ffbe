import type { Actor, AdminRole } from "./admin-types";

/** What a route needs: read (any role), write (org or team admin), org (org admin only). */
export type Access = "read" | "write" | "org";

export type Denial = "forbidden" | "out_of_scope";

const WRITERS: ReadonlySet<AdminRole> = new Set(["org_admin", "team_admin"]);

/** Role check for a route; team scoping is checked per resource with `teamDenial`. */
export function roleDenial(actor: Actor, access: Access): Denial | null {
  if (access === "read") return null;
  if (access === "write") return WRITERS.has(actor.role) ? null : "forbidden";
  return actor.role === "org_admin" ? null : "forbidden";
}

/** null when the actor may touch resources of `teamId`. */
export function teamDenial(actor: Actor, teamId: string): Denial | null {
  return actor.teams === null || actor.teams.has(teamId) ? null : "out_of_scope";
}

/** The teams a list must be restricted to; undefined = no restriction. */
export function teamFilter(actor: Actor): readonly string[] | undefined {
  return actor.teams === null ? undefined : [...actor.teams];
}

/** The actor of the bootstrap token (`SIDEGATE_ADMIN_TOKEN`). */
export const BOOTSTRAP_ACTOR: Actor = Object.freeze({ tokenId: "bootstrap", role: "org_admin", teams: null });

export function actorOf(token: { readonly id: string; readonly role: AdminRole; readonly teams: readonly string[] }): Actor {
  return Object.freeze({ tokenId: token.id, role: token.role, teams: token.role === "team_admin" ? new Set(token.teams) : null });
}
