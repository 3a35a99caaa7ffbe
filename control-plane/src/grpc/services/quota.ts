import type { ServerDuplexStream } from "@grpc/grpc-js";
import type * as pb from "../../../../proto";
import { LeaseBook, type Grant, type LimitState } from "../../domain/lease-book";
import { buildLimitIndex, type LimitDef, type LimitIndex } from "../../domain/limit-keys";
import { periodWindow } from "../../domain/periods";
import type { VersionedSnapshot } from "../../domain/types";
import type { SpendLedger } from "../../quota/spend-ledger";
import type { Logger } from "../../telemetry/logger";
import type { ControlPlaneMetrics } from "../../telemetry/metrics";
import type { SidecarIdentity } from "../auth";
import { leaseRequestFromProto, leaseResponseToProto } from "../convert";

export type LeaseCall = ServerDuplexStream<pb.LeaseRequest, pb.LeaseResponse>;

/** Extra time the control plane counts a lease after its ttl. */
export function leaseGraceMs(ttlMs: number): number {
  return Math.max(500, Math.round(ttlMs / 5));
}

export interface QuotaServiceDeps {
  readonly snapshot: () => VersionedSnapshot | undefined;
  readonly ledger: SpendLedger;
  readonly logger: Logger;
  readonly metrics: ControlPlaneMetrics;
  readonly now: () => number;
  readonly ttlMs: number;
  /** Leases of a previous incarnation may be held until then (see quota/lease-watermark.ts); 0 = none. */
  readonly settledAtMs: number;
  /** Called after every answered request with the time (persists the watermark). */
  readonly onGranted?: (nowMs: number) => void;
}

/**
 * QuotaService.Lease: every request is answered with one response, in order per stream. Limits are
 * resolved against the current snapshot (an unknown or removed limit is answered with limit 0), budget
 * spend comes from the usage tables via the ledger, and the lease book divides capacity.
 */
export function createQuotaService(deps: QuotaServiceDeps) {
  const graceMs = leaseGraceMs(deps.ttlMs);
  const book = new LeaseBook({ ttlMs: deps.ttlMs, graceMs, settledAtMs: deps.settledAtMs });
  const open = new Map<string, Set<LeaseCall>>();
  let indexed: { version: number; index: LimitIndex } | undefined;
  const sweep = setInterval(() => book.expire(deps.now()), deps.ttlMs);
  sweep.unref();

  const liveSidecars = (): number => Math.max(1, open.size);

  function limitIndex(): LimitIndex | undefined {
    const current = deps.snapshot();
    if (current === undefined) return undefined;
    if (indexed?.version !== current.version) indexed = { version: current.version, index: buildLimitIndex(current.snapshot) };
    return indexed.index;
  }

  async function limitState(def: LimitDef, nowMs: number): Promise<LimitState> {
    if (def.kind !== "budget" || def.budget === undefined || def.spendScope === undefined) {
      return { kind: def.kind, capacity: def.capacity, spent: 0, resetInMs: 0 };
    }
    const window = periodWindow(def.budget, nowMs);
    const spent = await deps.ledger.spent(def.spendScope, window);
    const resetInMs = Number.isFinite(window.endMs) ? Math.max(0, window.endMs - nowMs) : 0;
    return { kind: "budget", capacity: def.capacity, spent, resetInMs };
  }

  async function answer(call: LeaseCall, identity: SidecarIdentity, msg: pb.LeaseRequest): Promise<void> {
    const request = leaseRequestFromProto(msg);
    const index = limitIndex();
    const grants: Grant[] = [];
    for (const demand of request.demands) {
      const def = index?.resolve(demand.limitKey);
      if (def === undefined) {
        grants.push({ limitKey: demand.limitKey, granted: 0, limit: 0, fallbackShare: 0, remaining: 0, resetInMs: 0 });
        continue;
      }
      const state = await limitState(def, deps.now());
      grants.push(book.allocate(identity.sidecarId, demand, state, liveSidecars(), deps.now()));
    }
    deps.metrics.leaseRequests.inc();
    deps.onGranted?.(deps.now());
    if (!call.cancelled) call.write(leaseResponseToProto(request.seq, grants, liveSidecars(), book.settled(deps.now()), deps.ttlMs));
  }

  function Lease(call: LeaseCall, identity: SidecarIdentity): void {
    const log = deps.logger.child({ sidecarId: identity.sidecarId, rpc: "Lease" });
    let calls = open.get(identity.sidecarId);
    if (calls === undefined) open.set(identity.sidecarId, (calls = new Set()));
    calls.add(call);
    deps.metrics.leaseStreams.set(open.size);
    let chain = Promise.resolve();
    let closed = false;
    const forget = (): void => {
      if (closed) return;
      closed = true;
      const set = open.get(identity.sidecarId);
      set?.delete(call);
      if (set?.size === 0) open.delete(identity.sidecarId);
      deps.metrics.leaseStreams.set(open.size);
    };
    call.on("data", (msg: pb.LeaseRequest) => {
      chain = chain.then(() => answer(call, identity, msg)).catch((err: unknown) => {
        log.error({ err }, "lease request failed");
      });
    });
    call.on("end", () => {
      forget();
      void chain.then(() => {
        if (!call.cancelled) call.end();
      });
    });
    call.on("cancelled", forget);
    call.on("error", forget);
  }

  /** Ends every open Lease stream (shutdown); sidecars keep spending their leases until they expire. */
  function closeStreams(): void {
    clearInterval(sweep);
    for (const calls of open.values()) for (const call of calls) if (!call.cancelled) call.end();
    open.clear();
  }

  return { Lease, closeStreams, book };
}
