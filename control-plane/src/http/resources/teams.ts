import { z } from "zod";
import { ApiError } from "../../errors/codes";
import { generateId } from "../../domain/ids";
import { teamDenial } from "../../domain/rbac";
import { afterCommit } from "../publish";
import { teamInput } from "../inputs";
import { teamJson } from "../presenters";
import { errorOut, idSchema, listOf, teamCreateSchema, teamOut, teamPutSchema } from "../schemas";
import { requireOrgAdmin, requireTeam } from "../scope";
import { changed, ok, upserted, type RouteDef } from "../types";
import { validate, validateParam } from "../validate";

const deletedTeamOut = teamOut.extend({ revoked_keys: z.number() });

/** Teams are created and deleted by org admins; a team admin may read and replace its own teams. */
export const teamRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/teams", name: "teams.list", auth: true, access: "read", summary: "List teams (a team_admin sees its teams)",
    responses: { 200: listOf(teamOut) },
    handler: async (req, ctx) => ok({ data: (await ctx.store.listTeams()).filter((t) => teamDenial(req.actor, t.id) === null).map(teamJson) }),
  },
  {
    method: "POST", path: "/api/v1/teams", name: "teams.create", auth: true, access: "org", audit: { resource: "team", action: "create" },
    summary: "Create a team (409 if the id exists)",
    body: teamCreateSchema, responses: { 201: teamOut, 409: errorOut },
    handler: async (req, ctx) => {
      const body = validate(teamCreateSchema, req.body);
      const m = await ctx.store.createTeam(teamInput(body.id ?? generateId("team"), body), ctx.now());
      const after = teamJson(await afterCommit(ctx, m.value));
      return changed(after, 201, { resourceId: m.value.id, teamId: m.value.id, before: null, after });
    },
  },
  {
    method: "GET", path: "/api/v1/teams/:id", name: "teams.get", auth: true, access: "read", summary: "Get a team",
    responses: { 200: teamOut, 404: errorOut },
    handler: async (req, ctx) => {
      const team = await ctx.store.getTeam(req.params["id"] ?? "");
      if (!team) throw new ApiError("not_found", "No such team.");
      requireTeam(req, team.id);
      return ok(teamJson(team));
    },
  },
  {
    method: "PUT", path: "/api/v1/teams/:id", name: "teams.put", auth: true, access: "write", audit: { resource: "team", action: "update" },
    summary: "Create or replace a team (team_admin: replace its own teams only)",
    body: teamPutSchema, responses: { 200: teamOut, 201: teamOut, 403: errorOut },
    handler: async (req, ctx) => {
      const id = validateParam(idSchema, req.params["id"], "id");
      const body = validate(teamPutSchema, req.body);
      requireTeam(req, id);
      const previous = await ctx.store.getTeam(id);
      if (!previous) requireOrgAdmin(req, "create teams");
      const m = await ctx.store.putTeam(teamInput(id, body), ctx.now());
      const after = teamJson(await afterCommit(ctx, m.value));
      return upserted(after, m.created, id, id, previous ? teamJson(previous) : null);
    },
  },
  {
    method: "DELETE", path: "/api/v1/teams/:id", name: "teams.delete", auth: true, access: "org", audit: { resource: "team", action: "delete" },
    summary: "Delete a team, its users and projects, and revoke its keys",
    responses: { 200: deletedTeamOut, 404: errorOut },
    handler: async (req, ctx) => {
      const m = await ctx.store.deleteTeam(req.params["id"] ?? "", ctx.now());
      if (!m) throw new ApiError("not_found", "No such team.");
      await afterCommit(ctx, m);
      const before = teamJson(m.value.team);
      return changed({ ...before, revoked_keys: m.value.revokedKeys }, 200, {
        resourceId: before.id, teamId: before.id, before, after: null,
      });
    },
  },
];
