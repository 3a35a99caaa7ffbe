import type { LeaseSummary } from "../domain/lease-book";
import type { z } from "zod";
import type { Actor, AuditResource } from "../domain/admin-types";
import type { Access } from "../domain/rbac";
import type { PolicyPublisher } from "../fanout/publisher";
import type { Store } from "../store/types";
import type { Logger } from "../telemetry/logger";
import type { ControlPlaneMetrics } from "../telemetry/metrics";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** What every admin handler may use. */
export interface AdminContext {
  readonly store: Store;
  readonly publisher: PolicyPublisher;
  readonly masterKey: Buffer;
  readonly metrics: ControlPlaneMetrics;
  readonly logger: Logger;
  readonly now: () => number;
  /** Capacity leases currently held (absent when no gRPC server runs in this process). */
  readonly leases?: () => LeaseSummary;
}

export interface AdminRequest {
  /** Who is calling (authenticated routes); the anonymous actor otherwise. */
  readonly actor: Actor;
  readonly method: HttpMethod;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** First value of each query parameter. */
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON body for routes that declare one; undefined otherwise. */
  readonly body: unknown;
}

export interface AdminResult {
  readonly status: number;
  readonly body: unknown;
  /** Default application/json; anything else sends `body` as a string. */
  readonly contentType?: string;
  /** What a mutation changed, for the audit log (routes that declare `audit` must return it on success). */
  readonly audit?: AuditChange;
}

export interface AuditChange {
  readonly resourceId: string;
  /** "" = org-wide resource. */
  readonly teamId: string;
  /** Admin API JSON of the resource before / after (null = absent). Redacted again before it is stored. */
  readonly before: unknown;
  readonly after: unknown;
  /** Overrides the route's action (e.g. PUT answering "create" or "update"). */
  readonly action?: string;
}

export interface RouteDef {
  readonly method: HttpMethod;
  /** Segments: literal, `:name` (one segment) or `*name` (the rest, may contain `/`). */
  readonly path: string;
  /** Stable label for metrics and logs, e.g. "teams.put". */
  readonly name: string;
  readonly auth: boolean;
  /** Role needed (authenticated routes): read = any role, write = org/team admin, org = org admin. Team scope is checked by the handler. */
  readonly access?: Access;
  /** Every mutation is audited: the resource type and default action. */
  readonly audit?: { readonly resource: AuditResource; readonly action: string };
  readonly summary: string;
  /** A JSON body is required (415 otherwise) and documented with this schema. */
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Documented answers by status. */
  readonly responses: Readonly<Record<number, z.ZodType>>;
  readonly handler: (req: AdminRequest, ctx: AdminContext) => Promise<AdminResult>;
}

export const ok = (body: unknown, status = 200): AdminResult => ({ status, body });

/** A mutation's answer together with its audit record. */
export const changed = (body: unknown, status: number, audit: AuditChange): AdminResult => ({ status, body, audit });

/** The answer of a create-or-replace: 201 + "create" when it did not exist, else 200 + "update". */
export const upserted = (after: unknown, created: boolean, resourceId: string, teamId: string, before: unknown): AdminResult =>
  changed(after, created ? 201 : 200, { resourceId, teamId, before, after, action: created ? "create" : "update" });

/** The answer of a delete: the deleted resource, audited with after = null. */
export const deleted = (before: unknown, resourceId: string, teamId: string): AdminResult =>
  changed(before, 200, { resourceId, teamId, before, after: null });
