import { ApiError } from "../../errors/codes";
import { teamDenial } from "../../domain/rbac";
import type { Budget, Limits } from "../../domain/types";
import { budgetJson } from "../governance-presenters";
import { budgetIdSchema, budgetListQuerySchema, budgetOut, budgetPutSchema, budgetScopeSchema } from "../governance-schemas";
import { afterCommit } from "../publish";
import { errorOut, idSchema, listOf } from "../schemas";
import { requireTeam, visible } from "../scope";
import { changed, ok, type AdminContext, type AdminRequest, type RouteDef } from "../types";
import { validate, validateParam } from "../validate";

const MAX_BUDGETS = 16;

interface Owner {
  readonly scope: "team" | "key";
  readonly id: string;
  readonly teamId: string;
  readonly limits: Limits;
  /** Writes new limits and publishes the snapshot. */
  readonly save: (limits: Limits) => Promise<void>;
}

/** The team or key a budget path names (404 unknown, 403 outside the caller's teams). */
async function owner(req: AdminRequest, ctx: AdminContext): Promise<Owner> {
  const scope = validateParam(budgetScopeSchema, req.params["scope"], "scope");
  const id = validateParam(idSchema, req.params["owner"], "owner");
  if (scope === "team") {
    const team = await ctx.store.getTeam(id);
    if (!team) throw new ApiError("not_found", "No such team.");
    requireTeam(req, team.id);
    return {
      scope, id, teamId: team.id, limits: team.limits,
      save: async (limits) => {
        const input = { id, name: team.name, ownerUserId: team.ownerUserId, allowedModels: team.allowedModels, metadata: team.metadata, limits };
        await afterCommit(ctx, await ctx.store.putTeam(input, ctx.now()));
      },
    };
  }
  const key = await ctx.store.getKey(id);
  if (!key) throw new ApiError("not_found", "No such key.");
  requireTeam(req, key.teamId);
  return {
    scope, id, teamId: key.teamId, limits: key.limits,
    save: async (limits) => {
      await afterCommit(ctx, await ctx.store.updateKey(id, { limits }, ctx.now()));
    },
  };
}

const withBudgets = (l: Limits, budgets: readonly Budget[]): Limits => ({ ...l, budgets });

/**
 * Budgets live in the limits of a team or a key; these routes edit one budget at a time.
 * Path: `/api/v1/budgets/{team|key}/{owner id}/{budget id}`.
 */
export const budgetRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/budgets", name: "budgets.list", auth: true, access: "read",
    summary: "Every budget of every team and key (`team_id` filters; a team_admin sees its teams)", query: budgetListQuerySchema,
    responses: { 200: listOf(budgetOut) },
    handler: async (req, ctx) => {
      const q = validate(budgetListQuerySchema, req.query, "query");
      if (q.team_id !== undefined) requireTeam(req, q.team_id);
      const teams = (await ctx.store.listTeams()).filter((t) => teamDenial(req.actor, t.id) === null && (q.team_id === undefined || t.id === q.team_id));
      const keys = visible(req, await ctx.store.listKeys(q.team_id === undefined ? {} : { teamId: q.team_id })).filter((k) => k.revokedAtMs === null);
      return ok({
        data: [
          ...teams.flatMap((t) => t.limits.budgets.map((b) => budgetJson("team", t.id, t.id, b))),
          ...keys.flatMap((k) => k.limits.budgets.map((b) => budgetJson("key", k.id, k.teamId, b))),
        ],
      });
    },
  },
  {
    method: "PUT", path: "/api/v1/budgets/:scope/:owner/:id", name: "budgets.put", auth: true, access: "write",
    audit: { resource: "budget", action: "update" }, summary: "Create or replace one budget of a team or key",
    body: budgetPutSchema, responses: { 200: budgetOut, 201: budgetOut, 400: errorOut, 403: errorOut, 404: errorOut },
    handler: async (req, ctx) => {
      const o = await owner(req, ctx);
      const budgetId = validateParam(budgetIdSchema, req.params["id"], "id");
      const b = validate(budgetPutSchema, req.body);
      const next: Budget = { id: budgetId, limitUsd: b.limit_usd, period: b.period, hard: b.hard ?? false, timezone: b.timezone ?? "" };
      const previous = o.limits.budgets.find((x) => x.id === budgetId);
      const others = o.limits.budgets.filter((x) => x.id !== budgetId);
      if (!previous && others.length >= MAX_BUDGETS) {
        throw new ApiError("validation_failed", `At most ${MAX_BUDGETS} budgets per ${o.scope}.`, [{ path: "id", message: "too many budgets" }]);
      }
      await o.save(withBudgets(o.limits, [...others, next]));
      const after = budgetJson(o.scope, o.id, o.teamId, next);
      return changed(after, previous ? 200 : 201, {
        resourceId: `${o.scope}/${o.id}/${budgetId}`, teamId: o.teamId, action: previous ? "update" : "create",
        before: previous ? budgetJson(o.scope, o.id, o.teamId, previous) : null, after,
      });
    },
  },
  {
    method: "DELETE", path: "/api/v1/budgets/:scope/:owner/:id", name: "budgets.delete", auth: true, access: "write",
    audit: { resource: "budget", action: "delete" }, summary: "Delete one budget of a team or key",
    responses: { 200: budgetOut, 403: errorOut, 404: errorOut },
    handler: async (req, ctx) => {
      const o = await owner(req, ctx);
      const budgetId = req.params["id"] ?? "";
      const previous = o.limits.budgets.find((x) => x.id === budgetId);
      if (!previous) throw new ApiError("not_found", "No such budget.");
      await o.save(withBudgets(o.limits, o.limits.budgets.filter((x) => x.id !== budgetId)));
      const before = budgetJson(o.scope, o.id, o.teamId, previous);
      return changed(before, 200, { resourceId: `${o.scope}/${o.id}/${budgetId}`, teamId: o.teamId, before, after: null });
    },
  },
];
