import { ApiError } from "../../errors/codes";
import { afterCommit } from "../publish";
import { routeInput } from "../inputs";
import { routeJson } from "../presenters";
import { errorOut, listOf, modelNameSchema, routeOut, routePutSchema } from "../schemas";
import { deleted, ok, upserted, type RouteDef } from "../types";
import { validate, validateParam } from "../validate";

/** Model names may contain `/`, `:` and `.`; the `*model` segment takes the (url-decoded) rest of the path. */
export const routeRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/routes", name: "routes.list", auth: true, access: "read", summary: "List routes",
    responses: { 200: listOf(routeOut) },
    handler: async (_req, ctx) => ok({ data: (await ctx.store.listRoutes()).map(routeJson) }),
  },
  {
    method: "GET", path: "/api/v1/routes/*model", name: "routes.get", auth: true, access: "read", summary: "Get the route of a model",
    responses: { 200: routeOut, 404: errorOut },
    handler: async (req, ctx) => {
      const r = await ctx.store.getRoute(req.params["model"] ?? "");
      if (!r) throw new ApiError("not_found", "No such route.");
      return ok(routeJson(r));
    },
  },
  {
    method: "PUT", path: "/api/v1/routes/*model", name: "routes.put", auth: true, access: "org", audit: { resource: "route", action: "update" },
    summary: "Create or replace the route of a model (400 if a target's deployment does not exist)",
    body: routePutSchema, responses: { 200: routeOut, 201: routeOut, 400: errorOut },
    handler: async (req, ctx) => {
      const model = validateParam(modelNameSchema, req.params["model"], "model");
      const previous = await ctx.store.getRoute(model);
      const m = await ctx.store.putRoute(routeInput(model, validate(routePutSchema, req.body)), ctx.now());
      const after = routeJson(await afterCommit(ctx, m.value));
      return upserted(after, m.created, model, "", previous ? routeJson(previous) : null);
    },
  },
  {
    method: "DELETE", path: "/api/v1/routes/*model", name: "routes.delete", auth: true, access: "org", audit: { resource: "route", action: "delete" }, summary: "Delete the route of a model",
    responses: { 200: routeOut, 404: errorOut },
    handler: async (req, ctx) => {
      const m = await ctx.store.deleteRoute(req.params["model"] ?? "", ctx.now());
      if (!m) throw new ApiError("not_found", "No such route.");
      const before = routeJson(await afterCommit(ctx, m.value));
      return deleted(before, m.value.model, "");
    },
  },
];
