import { z } from "zod";
import { ApiError } from "../../errors/codes";
import { generateId } from "../../domain/ids";
import { afterCommit } from "../publish";
import { teamInput } from "../inputs";
import { teamJson } from "../presenters";
import { errorOut, idSchema, listOf, teamCreateSchema, teamOut, teamPutSchema } from "../schemas";
import { ok, type RouteDef } from "../types";
import { validate, validateParam } from "../validate";

const deletedTeamOut = teamOut.extend({ revoked_keys: z.number() });

export const teamRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/teams", name: "teams.list", auth: true, summary: "List teams",
    responses: { 200: listOf(teamOut) },
    handler: async (_req, ctx) => ok({ data: (await ctx.store.listTeams()).map(teamJson) }),
  },
  {
    method: "POST", path: "/api/v1/teams", name: "teams.create", auth: true, summary: "Create a team (409 if the id exists)",
    body: teamCreateSchema, responses: { 201: teamOut, 409: errorOut },
    handler: async (req, ctx) => {
      const body = validate(teamCreateSchema, req.body);
      const m = await ctx.store.createTeam(teamInput(body.id ?? generateId("team"), body), ctx.now());
      return ok(teamJson(await afterCommit(ctx, m.value)), 201);
    },
  },
  {
    method: "GET", path: "/api/v1/teams/:id", name: "teams.get", auth: true, summary: "Get a team",
    responses: { 200: teamOut, 404: errorOut },
    handler: async (req, ctx) => {
      const team = await ctx.store.getTeam(req.params["id"] ?? "");
      if (!team) throw new ApiError("not_found", "No such team.");
      return ok(teamJson(team));
    },
  },
  {
    method: "PUT", path: "/api/v1/teams/:id", name: "teams.put", auth: true, summary: "Create or replace a team",
    body: teamPutSchema, responses: { 200: teamOut, 201: teamOut },
    handler: async (req, ctx) => {
      const id = validateParam(idSchema, req.params["id"], "id");
      const m = await ctx.store.putTeam(teamInput(id, validate(teamPutSchema, req.body)), ctx.now());
      return ok(teamJson(await afterCommit(ctx, m.value)), m.created ? 201 : 200);
    },
  },
  {
    method: "DELETE", path: "/api/v1/teams/:id", name: "teams.delete", auth: true, summary: "Delete a team and revoke its keys",
    responses: { 200: deletedTeamOut, 404: errorOut },
    handler: async (req, ctx) => {
      const m = await ctx.store.deleteTeam(req.params["id"] ?? "", ctx.now());
      if (!m) throw new ApiError("not_found", "No such team.");
      await afterCommit(ctx, m);
      return ok({ ...teamJson(m.value.team), revoked_keys: m.value.revokedKeys });
    },
  },
];
