import { teamDenial, teamFilter } from "../domain/rbac";
import { ApiError } from "../errors/codes";
import type { AdminRequest } from "./types";

/** Throws 403 out_of_scope unless the caller may touch resources of `teamId`. */
export function requireTeam(req: AdminRequest, teamId: string): void {
  const denial = teamDenial(req.actor, teamId);
  if (denial !== null) throw new ApiError(denial, `This admin token is not scoped to team ${teamId}.`);
}

/** Only org admins may do this (checked inside handlers whose route allows team admins for other cases). */
export function requireOrgAdmin(req: AdminRequest, what: string): void {
  if (req.actor.role !== "org_admin") throw new ApiError("forbidden", `Only org_admin tokens may ${what}.`);
}

/** For list endpoints: the `teams` restriction of the caller (undefined = every team). */
export function scopeTeams(req: AdminRequest): { teams?: readonly string[] } {
  const teams = teamFilter(req.actor);
  return teams === undefined ? {} : { teams };
}

/** Keeps the items of teams the caller may see. */
export function visible<T extends { readonly teamId: string }>(req: AdminRequest, items: readonly T[]): T[] {
  return items.filter((i) => teamDenial(req.actor, i.teamId) === null);
}
