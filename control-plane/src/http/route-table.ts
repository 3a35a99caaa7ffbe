import { z } from "zod";
import { buildOpenApi } from "./openapi";
import { adminTokenRoutes } from "./resources/admin-tokens";
import { auditRoutes } from "./resources/audit";
import { budgetRoutes } from "./resources/budgets";
import { deploymentRoutes } from "./resources/deployments";
import { keyRoutes } from "./resources/keys";
import { projectRoutes, userRoutes } from "./resources/members";
import { priceRoutes } from "./resources/prices";
import { leaseRoutes } from "./resources/leases";
import { modelLimitRoutes } from "./resources/model-limits";
import { providerRoutes } from "./resources/providers";
import { routeRoutes } from "./resources/routes";
import { teamRoutes } from "./resources/teams";
import { usageRoutes } from "./resources/usage";
import { healthOut } from "./schemas";
import { ok, type RouteDef } from "./types";

export const API_VERSION = "1.0.0";

const systemRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/healthz", name: "healthz", auth: false, summary: "Liveness (no auth)",
    responses: { 200: healthOut },
    handler: async () => ok({ status: "ok" }),
  },
  {
    method: "GET", path: "/metrics", name: "metrics", auth: false, summary: "Prometheus metrics (no auth; holds no secrets)",
    responses: {},
    handler: async (_req, ctx) => ({ status: 200, body: await ctx.metrics.registry.metrics(), contentType: ctx.metrics.registry.contentType }),
  },
];

const resourceRoutes: readonly RouteDef[] = [
  ...teamRoutes, ...userRoutes, ...projectRoutes, ...keyRoutes, ...budgetRoutes, ...providerRoutes, ...deploymentRoutes, ...routeRoutes,
  ...modelLimitRoutes, ...leaseRoutes, ...priceRoutes, ...usageRoutes, ...auditRoutes, ...adminTokenRoutes, ...systemRoutes,
];

let openApi: unknown;
const openApiRoute: RouteDef = {
  method: "GET", path: "/api/v1/openapi.json", name: "openapi", auth: true, access: "read", summary: "This document",
  responses: { 200: z.record(z.string(), z.unknown()) },
  handler: async () => ok((openApi ??= buildOpenApi(ADMIN_ROUTES, API_VERSION))),
};

/** Every admin route; the router and the OpenAPI document are both built from this one list. */
export const ADMIN_ROUTES: readonly RouteDef[] = [...resourceRoutes, openApiRoute];
