import type { z } from "zod";
import { ApiError } from "../../errors/codes";
import { generateId } from "../../domain/ids";
import type { AuditResource } from "../../domain/admin-types";
import type { Project, User } from "../../domain/types";
import type { Mutation, ProjectInput, Store, Upserted, UserInput } from "../../store/types";
import { projectJson, userJson } from "../governance-presenters";
import {
  projectCreateSchema, projectOut, projectPutSchema, teamListQuerySchema, userCreateSchema, userOut, userPutSchema,
} from "../governance-schemas";
import { afterCommit } from "../publish";
import { errorOut, idSchema, listOf } from "../schemas";
import { requireTeam, visible } from "../scope";
import { changed, deleted, ok, upserted, type AdminContext, type AdminRequest, type RouteDef } from "../types";
import { validate, validateParam } from "../validate";

/** Users and projects: team-owned resources with the same routes, scope rules and audit. */
type Owned = { readonly id: string; readonly teamId: string };

interface MemberKind<T extends Owned, I extends Owned, P extends z.ZodType, C extends z.ZodType> {
  readonly resource: AuditResource;
  readonly plural: string;
  readonly label: string;
  readonly prefix: string;
  readonly put: P;
  readonly create: C;
  readonly out: z.ZodType;
  readonly json: (v: T) => unknown;
  readonly input: (id: string, b: z.output<P>) => I;
  readonly list: (store: Store, teamId: string | undefined) => Promise<T[]>;
  readonly get: (store: Store, id: string) => Promise<T | undefined>;
  readonly write: (store: Store, input: I, nowMs: number) => Promise<Upserted<T>>;
  readonly remove: (store: Store, id: string, nowMs: number) => Promise<Mutation<T> | undefined>;
}

function memberRoutes<T extends Owned, I extends Owned, P extends z.ZodType, C extends z.ZodType>(k: MemberKind<T, I, P, C>): RouteDef[] {
  const base = `/api/v1/${k.plural}`;
  const scoped = async (req: AdminRequest, ctx: AdminContext): Promise<T> => {
    const v = await k.get(ctx.store, req.params["id"] ?? "");
    if (!v) throw new ApiError("not_found", `No such ${k.label}.`);
    requireTeam(req, v.teamId);
    return v;
  };
  /** Create or replace; the target team must be in scope, and so must the existing one. */
  const write = async (req: AdminRequest, ctx: AdminContext, id: string, body: z.output<P>) => {
    const input = k.input(id, body);
    requireTeam(req, input.teamId);
    const previous = await k.get(ctx.store, id);
    if (previous) requireTeam(req, previous.teamId);
    const m = await k.write(ctx.store, input, ctx.now());
    return { m, previous, after: k.json(await afterCommit(ctx, m.value)) };
  };
  return [
    {
      method: "GET", path: base, name: `${k.plural}.list`, auth: true, access: "read", summary: `List ${k.plural} (\`team_id\` filters)`,
      query: teamListQuerySchema, responses: { 200: listOf(k.out) },
      handler: async (req, ctx) => {
        const q = validate(teamListQuerySchema, req.query, "query");
        if (q.team_id !== undefined) requireTeam(req, q.team_id);
        return ok({ data: visible(req, await k.list(ctx.store, q.team_id)).map(k.json) });
      },
    },
    {
      method: "POST", path: base, name: `${k.plural}.create`, auth: true, access: "write", audit: { resource: k.resource, action: "create" },
      summary: `Create a ${k.label} in a team (409 if the id exists)`, body: k.create, responses: { 201: k.out, 400: errorOut, 403: errorOut, 409: errorOut },
      handler: async (req, ctx) => {
        const b = validate(k.create, req.body) as z.output<P> & { id?: string };
        const id = b.id ?? generateId(k.prefix);
        if (await k.get(ctx.store, id)) throw new ApiError("conflict", `${k.label} ${id} already exists.`, [{ path: "id", message: "already exists" }]);
        const { id: _id, ...rest } = b;
        const { m, after } = await write(req, ctx, id, rest as z.output<P>);
        return changed(after, 201, { resourceId: id, teamId: m.value.teamId, before: null, after });
      },
    },
    {
      method: "GET", path: `${base}/:id`, name: `${k.plural}.get`, auth: true, access: "read", summary: `Get a ${k.label}`,
      responses: { 200: k.out, 403: errorOut, 404: errorOut },
      handler: async (req, ctx) => ok(k.json(await scoped(req, ctx))),
    },
    {
      method: "PUT", path: `${base}/:id`, name: `${k.plural}.put`, auth: true, access: "write", audit: { resource: k.resource, action: "update" },
      summary: `Create or replace a ${k.label} (it cannot move to another team)`, body: k.put,
      responses: { 200: k.out, 201: k.out, 400: errorOut, 403: errorOut, 409: errorOut },
      handler: async (req, ctx) => {
        const id = validateParam(idSchema, req.params["id"], "id");
        const { m, previous, after } = await write(req, ctx, id, validate(k.put, req.body));
        return upserted(after, m.created, id, m.value.teamId, previous ? k.json(previous) : null);
      },
    },
    {
      method: "DELETE", path: `${base}/:id`, name: `${k.plural}.delete`, auth: true, access: "write", audit: { resource: k.resource, action: "delete" },
      summary: `Delete a ${k.label} (409 while active keys name it)`, responses: { 200: k.out, 403: errorOut, 404: errorOut, 409: errorOut },
      handler: async (req, ctx) => {
        const v = await scoped(req, ctx);
        const m = await k.remove(ctx.store, v.id, ctx.now());
        if (!m) throw new ApiError("not_found", `No such ${k.label}.`);
        return deleted(k.json(await afterCommit(ctx, m.value)), v.id, v.teamId);
      },
    },
  ];
}

export const userRoutes: readonly RouteDef[] = memberRoutes<User, UserInput, typeof userPutSchema, typeof userCreateSchema>({
  resource: "user", plural: "users", label: "user", prefix: "user", put: userPutSchema, create: userCreateSchema, out: userOut, json: userJson,
  input: (id, b) => ({ id, teamId: b.team_id, email: b.email ?? "", name: b.name ?? "", metadata: b.metadata ?? {} }),
  list: (s, teamId) => s.listUsers(teamId === undefined ? {} : { teamId }),
  get: (s, id) => s.getUser(id),
  write: (s, input, now) => s.putUser(input, now),
  remove: (s, id, now) => s.deleteUser(id, now),
});

export const projectRoutes: readonly RouteDef[] = memberRoutes<Project, ProjectInput, typeof projectPutSchema, typeof projectCreateSchema>({
  resource: "project", plural: "projects", label: "project", prefix: "proj", put: projectPutSchema, create: projectCreateSchema, out: projectOut,
  json: projectJson,
  input: (id, b) => ({ id, teamId: b.team_id, name: b.name ?? "", metadata: b.metadata ?? {} }),
  list: (s, teamId) => s.listProjects(teamId === undefined ? {} : { teamId }),
  get: (s, id) => s.getProject(id),
  write: (s, input, now) => s.putProject(input, now),
  remove: (s, id, now) => s.deleteProject(id, now),
});
