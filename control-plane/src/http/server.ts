import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { redactForAudit } from "../domain/redact";
import { roleDenial } from "../domain/rbac";
import { ApiError } from "../errors/codes";
import { StoreConflictError, StoreReferenceError } from "../store/errors";
import { ANONYMOUS_ACTOR, createAdminAuthenticator } from "./authenticate";
import { isJsonContentType, readJsonBody } from "./body";
import { send, sendError } from "./respond";
import { ADMIN_ROUTES } from "./route-table";
import { createRouter } from "./router";
import type { Actor } from "../domain/admin-types";
import type { AdminContext, AdminRequest, AdminResult, HttpMethod, RouteDef } from "./types";

export interface AdminServerOptions {
  readonly host: string;
  readonly port: number;
  readonly adminToken: string;
  readonly ctx: AdminContext;
  readonly routes?: readonly RouteDef[];
  /** Whole-request deadline (slow senders get 408 and a closed connection); default 30000. */
  readonly requestTimeoutMs?: number;
}

export interface AdminServerHandle {
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish up to `deadlineMs`, then closes every connection. */
  close(deadlineMs: number): Promise<void>;
}

function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof StoreConflictError) return new ApiError("conflict", err.message, [{ path: err.field, message: err.message }]);
  if (err instanceof StoreReferenceError) {
    return new ApiError("validation_failed", "The request refers to something that does not exist.", [{ path: err.field, message: err.message }]);
  }
  return undefined;
}

/** Splits the request target without `new URL` (which throws on some targets the HTTP parser accepts). */
function splitTarget(target: string | undefined): { path: string; query: Record<string, string> } {
  const raw = target ?? "/";
  const q = raw.indexOf("?");
  const query: Record<string, string> = {};
  if (q !== -1) for (const [k, v] of new URLSearchParams(raw.slice(q + 1))) if (!(k in query)) query[k] = v;
  return { path: q === -1 ? raw : raw.slice(0, q), query };
}

/** The admin HTTP API on node:http: auth → route → body → handler → one JSON answer. */
export async function startAdminServer(opts: AdminServerOptions): Promise<AdminServerHandle> {
  const { ctx } = opts;
  const route = createRouter(opts.routes ?? ADMIN_ROUTES);
  const authenticate = createAdminAuthenticator(opts.adminToken, ctx.store, ctx.now);
  const log = ctx.logger.child({ component: "admin-http" });

  /** Appends the audit entry of a successful mutation. A route that declares `audit` must report its change. */
  async function audit(def: RouteDef, actor: Actor, result: AdminResult): Promise<void> {
    if (def.audit === undefined || result.status >= 300) return;
    const change = result.audit;
    if (change === undefined) {
      log.error({ route: def.name }, "mutation answered without an audit record");
      return;
    }
    await ctx.store.appendAudit(
      {
        actorId: actor.tokenId, actorRole: actor.role, action: change.action ?? def.audit.action, resourceType: def.audit.resource,
        resourceId: change.resourceId, teamId: change.teamId, before: redactForAudit(change.before), after: redactForAudit(change.after),
      },
      ctx.now(),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse, seen: { name: string }): Promise<number> {
    const { path, query } = splitTarget(req.url);
    const match = route(req.method ?? "GET", path);
    const authFree = match.kind === "found" && !match.def.auth;
    const actor = authFree ? ANONYMOUS_ACTOR : await authenticate(req.headers.authorization);
    if (actor === undefined) {
      throw new ApiError("unauthorized", undefined, [], { "www-authenticate": 'Bearer realm="sidegate-admin"' });
    }
    if (match.kind === "not_found") throw new ApiError("not_found", `No route for ${path}.`);
    if (match.kind === "method_not_allowed") {
      throw new ApiError("method_not_allowed", `Method ${req.method ?? ""} is not allowed on ${path}.`, [], { allow: match.allowed.join(", ") });
    }
    const def = match.def;
    seen.name = def.name;
    const denial = def.auth ? roleDenial(actor, def.access ?? "org") : null;
    if (denial !== null) throw new ApiError(denial, `Role ${actor.role} may not call ${def.name}.`);
    let body: unknown;
    if (def.body) {
      if (!isJsonContentType(req.headers["content-type"])) throw new ApiError("unsupported_media_type");
      body = await readJsonBody(req);
    }
    const request: AdminRequest = { actor, method: req.method as HttpMethod, path, params: match.params, query, body };
    const result = await def.handler(request, ctx);
    await audit(def, actor, result);
    send(res, result);
    return result.status;
  }

  const requestTimeout = opts.requestTimeoutMs ?? 30_000;
  const timeouts = {
    requestTimeout,
    headersTimeout: Math.min(15_000, requestTimeout),
    keepAliveTimeout: 5_000,
    // How often node:http checks the two timeouts above.
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(requestTimeout / 4))),
  };
  const server: Server = createServer(timeouts, (req, res) => {
    const started = performance.now();
    const seen = { name: "unmatched" };
    const finish = (status: number): void => {
      const name = seen.name;
      ctx.metrics.adminRequests.inc({ method: req.method ?? "", route: name, status: String(status) });
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const entry = { method: req.method, path: splitTarget(req.url).path.slice(0, 512), route: name, status, ms };
      if (status >= 500) log.error(entry, "admin request failed");
      else log.info(entry, "admin request");
    };
    handle(req, res, seen).then(
      (status) => finish(status),
      (err: unknown) => {
        const apiErr = toApiError(err);
        if (apiErr === undefined) log.error({ err }, "admin handler threw");
        const e = apiErr ?? new ApiError("internal_error");
        if (res.headersSent) res.destroy();
        else {
          if (e.code === "payload_too_large") res.setHeader("connection", "close");
          sendError(res, e);
          if (e.code === "payload_too_large") res.on("finish", () => req.destroy());
        }
        finish(e.status);
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ host: opts.host, port }, "admin HTTP API listening");

  let closing: Promise<void> | undefined;
  return {
    port,
    close: (deadlineMs) => {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), deadlineMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
