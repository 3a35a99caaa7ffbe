import { ApiError } from "../../errors/codes";
import { modelLimitsFromBody } from "../inputs";
import { globalLimitJson } from "../presenters";
import { afterCommit } from "../publish";
import { errorOut, globalLimitOut, listOf, modelLimitsSchema, modelNameSchema } from "../schemas";
import { deleted, ok, upserted, type RouteDef } from "../types";
import { validate, validateParam } from "../validate";

/** Org-wide rate and concurrency limits per public model name, across every key and team. */
export const modelLimitRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/model-limits", name: "model-limits.list", auth: true, access: "read", summary: "List org-wide per-model limits",
    responses: { 200: listOf(globalLimitOut) },
    handler: async (_req, ctx) => ok({ data: (await ctx.store.listGlobalLimits()).map(globalLimitJson) }),
  },
  {
    method: "GET", path: "/api/v1/model-limits/*model", name: "model-limits.get", auth: true, access: "read", summary: "Get the org-wide limits of a model",
    responses: { 200: globalLimitOut, 404: errorOut },
    handler: async (req, ctx) => {
      const g = await ctx.store.getGlobalLimit(req.params["model"] ?? "");
      if (!g) throw new ApiError("not_found", "No org-wide limits for this model.");
      return ok(globalLimitJson(g));
    },
  },
  {
    method: "PUT", path: "/api/v1/model-limits/*model", name: "model-limits.put", auth: true, access: "org", audit: { resource: "model_limit", action: "update" },
    summary: "Set the org-wide limits of a model (rpm, tpm, max_concurrent; 0 or absent = no limit)",
    body: modelLimitsSchema, responses: { 200: globalLimitOut, 201: globalLimitOut, 400: errorOut },
    handler: async (req, ctx) => {
      const model = validateParam(modelNameSchema, req.params["model"], "model");
      const limits = modelLimitsFromBody(validate(modelLimitsSchema, req.body));
      const previous = await ctx.store.getGlobalLimit(model);
      const m = await ctx.store.putGlobalLimit({ model, ...limits }, ctx.now());
      const after = globalLimitJson(await afterCommit(ctx, m.value));
      return upserted(after, m.created, model, "", previous ? globalLimitJson(previous) : null);
    },
  },
  {
    method: "DELETE", path: "/api/v1/model-limits/*model", name: "model-limits.delete", auth: true, access: "org", audit: { resource: "model_limit", action: "delete" },
    summary: "Remove the org-wide limits of a model",
    responses: { 200: globalLimitOut, 404: errorOut },
    handler: async (req, ctx) => {
      const m = await ctx.store.deleteGlobalLimit(req.params["model"] ?? "", ctx.now());
      if (!m) throw new ApiError("not_found", "No org-wide limits for this model.");
      return deleted(globalLimitJson(await afterCommit(ctx, m.value)), m.value.model, "");
    },
  },
];
