import type { LeaseSummary } from "../domain/lease-book";
import type { z } from "zod";
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
}

export interface RouteDef {
  readonly method: HttpMethod;
  /** Segments: literal, `:name` (one segment) or `*name` (the rest, may contain `/`). */
  readonly path: string;
  /** Stable label for metrics and logs, e.g. "teams.put". */
  readonly name: string;
  readonly auth: boolean;
  readonly summary: string;
  /** A JSON body is required (415 otherwise) and documented with this schema. */
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Documented answers by status. */
  readonly responses: Readonly<Record<number, z.ZodType>>;
  readonly handler: (req: AdminRequest, ctx: AdminContext) => Promise<AdminResult>;
}

export const ok = (body: unknown, status = 200): AdminResult => ({ status, body });
