import { ApiError } from "../../errors/codes";
import { generateId } from "../../domain/ids";
import { afterCommit } from "../publish";
import { deploymentInput } from "../inputs";
import { deploymentJson } from "../presenters";
import { deploymentCreateSchema, deploymentOut, deploymentPutSchema, errorOut, idSchema, listOf } from "../schemas";
import { changed, deleted, ok, upserted, type RouteDef } from "../types";
import { validate, validateParam } from "../validate";

export const deploymentRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/deployments", name: "deployments.list", auth: true, access: "read", summary: "List deployments",
    responses: { 200: listOf(deploymentOut) },
    handler: async (_req, ctx) => ok({ data: (await ctx.store.listDeployments()).map(deploymentJson) }),
  },
  {
    method: "POST", path: "/api/v1/deployments", name: "deployments.create", auth: true, access: "org", audit: { resource: "deployment", action: "create" }, summary: "Create a deployment (409 if the id exists)",
    body: deploymentCreateSchema, responses: { 201: deploymentOut, 400: errorOut, 409: errorOut },
    handler: async (req, ctx) => {
      const b = validate(deploymentCreateSchema, req.body);
      const m = await ctx.store.createDeployment(deploymentInput(b.id ?? generateId("dep"), b), ctx.now());
      const after = deploymentJson(await afterCommit(ctx, m.value));
      return changed(after, 201, { resourceId: m.value.id, teamId: "", before: null, after });
    },
  },
  {
    method: "GET", path: "/api/v1/deployments/:id", name: "deployments.get", auth: true, access: "read", summary: "Get a deployment",
    responses: { 200: deploymentOut, 404: errorOut },
    handler: async (req, ctx) => {
      const d = await ctx.store.getDeployment(req.params["id"] ?? "");
      if (!d) throw new ApiError("not_found", "No such deployment.");
      return ok(deploymentJson(d));
    },
  },
  {
    method: "PUT", path: "/api/v1/deployments/:id", name: "deployments.put", auth: true, access: "org", audit: { resource: "deployment", action: "update" }, summary: "Create or replace a deployment",
    body: deploymentPutSchema, responses: { 200: deploymentOut, 201: deploymentOut, 400: errorOut, 409: errorOut },
    handler: async (req, ctx) => {
      const id = validateParam(idSchema, req.params["id"], "id");
      const previous = await ctx.store.getDeployment(id);
      const m = await ctx.store.putDeployment(deploymentInput(id, validate(deploymentPutSchema, req.body)), ctx.now());
      const after = deploymentJson(await afterCommit(ctx, m.value));
      return upserted(after, m.created, id, "", previous ? deploymentJson(previous) : null);
    },
  },
  {
    method: "DELETE", path: "/api/v1/deployments/:id", name: "deployments.delete", auth: true, access: "org", audit: { resource: "deployment", action: "delete" }, summary: "Delete a deployment",
    responses: { 200: deploymentOut, 404: errorOut },
    handler: async (req, ctx) => {
      const m = await ctx.store.deleteDeployment(req.params["id"] ?? "", ctx.now());
      if (!m) throw new ApiError("not_found", "No such deployment.");
      const before = deploymentJson(await afterCommit(ctx, m.value));
      return deleted(before, m.value.id, "");
    },
  },
];
