import { z } from "zod";
import { ERROR_CODES } from "../errors/codes";
import type { RouteDef } from "./types";

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const s = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }) as JsonSchema;
  delete s["$schema"];
  return s;
}

const openApiPath = (path: string): string => path.replace(/[:*]([A-Za-z_]+)/g, "{$1}");

function parameters(def: RouteDef): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const m of def.path.matchAll(/[:*]([A-Za-z_]+)/g)) {
    const name = m[1] ?? "";
    out.push({ name, in: "path", required: true, schema: { type: "string" }, ...(def.path.includes(`*${name}`) ? { description: "May contain `/` (raw or %2F)." } : {}) });
  }
  if (def.query) {
    const q = jsonSchema(def.query, "input");
    const props = (q["properties"] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((q["required"] ?? []) as string[]);
    for (const [name, schema] of Object.entries(props)) out.push({ name, in: "query", required: required.has(name), schema });
  }
  return out;
}

function operation(def: RouteDef): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, schema] of Object.entries(def.responses)) {
    responses[status] = { description: Number(status) < 300 ? "OK" : "Error", content: { "application/json": { schema: jsonSchema(schema, "output") } } };
  }
  if (def.auth) responses["401"] ??= { description: ERROR_CODES.unauthorized.message };
  if (def.auth && def.access !== "read") responses["403"] ??= { description: `${ERROR_CODES.forbidden.message} (roles: ${def.access === "org" ? "org_admin" : "org_admin, team_admin"})` };
  if (def.body) responses["400"] ??= { description: ERROR_CODES.validation_failed.message };
  const params = parameters(def);
  return {
    operationId: def.name,
    summary: def.summary,
    ...(def.auth ? {} : { security: [] }),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(def.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(def.body, "input") } } } } : {}),
    responses,
  };
}

/** OpenAPI 3.1 document generated from the route table and its zod schemas. */
export function buildOpenApi(defs: readonly RouteDef[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const def of defs) {
    const p = (paths[openApiPath(def.path)] ??= {});
    p[def.method.toLowerCase()] = operation(def);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Sidegate control plane admin API",
      version,
      description: `Errors: {"error":{"code","type","message","details?"}} with code one of ${Object.keys(ERROR_CODES).join(", ")}.`,
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }],
    components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "An admin token: SIDEGATE_ADMIN_TOKEN (org_admin) or one created with POST /api/v1/admin-tokens." } } },
    paths,
  };
}
