import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

/** Every control plane metric, on a registry of its own (several control planes may share a process in tests). */
export interface ControlPlaneMetrics {
  readonly registry: Registry;
  readonly watchStreams: Gauge;
  readonly policyVersion: Gauge;
  readonly policyPublishes: Counter;
  readonly usageBatchesReceived: Counter;
  readonly usageBatchesDuplicate: Counter;
  readonly usageBatchesRejected: Counter;
  readonly usageRecordsStored: Counter;
  readonly adminRequests: Counter<"method" | "route" | "status">;
  readonly grpcUnauthenticated: Counter<"method">;
  readonly leaseStreams: Gauge;
  readonly leaseRequests: Counter;
  readonly softBudgetExceeded: Counter<"scope">;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): ControlPlaneMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: "sidegate_cp_" });
  return {
    registry,
    watchStreams: new Gauge({ name: "sidegate_cp_watch_streams", help: "Open PolicyService.Watch streams.", registers }),
    policyVersion: new Gauge({ name: "sidegate_cp_policy_version", help: "Policy version currently broadcast.", registers }),
    policyPublishes: new Counter({ name: "sidegate_cp_policy_publishes_total", help: "Policy snapshots built and broadcast.", registers }),
    usageBatchesReceived: new Counter({ name: "sidegate_cp_usage_batches_received_total", help: "Usage batches received (incl. duplicates).", registers }),
    usageBatchesDuplicate: new Counter({ name: "sidegate_cp_usage_batches_duplicate_total", help: "Usage batches acknowledged as duplicates.", registers }),
    usageBatchesRejected: new Counter({ name: "sidegate_cp_usage_batches_rejected_total", help: "Usage batches rejected as invalid.", registers }),
    usageRecordsStored: new Counter({ name: "sidegate_cp_usage_records_stored_total", help: "Request records persisted.", registers }),
    adminRequests: new Counter({
      name: "sidegate_cp_admin_requests_total",
      help: "Admin HTTP API requests.",
      labelNames: ["method", "route", "status"] as const,
      registers,
    }),
    leaseStreams: new Gauge({ name: "sidegate_cp_lease_streams", help: "Open QuotaService.Lease streams.", registers }),
    leaseRequests: new Counter({ name: "sidegate_cp_lease_requests_total", help: "Lease requests answered.", registers }),
    softBudgetExceeded: new Counter({
      name: "sidegate_cp_soft_budget_exceeded_total",
      help: "Soft budgets whose period spend crossed the limit (once per budget and period).",
      labelNames: ["scope"] as const,
      registers,
    }),
    grpcUnauthenticated: new Counter({
      name: "sidegate_cp_grpc_unauthenticated_total",
      help: "gRPC calls rejected for a missing or wrong sidecar token.",
      labelNames: ["method"] as const,
      registers,
    }),
  };
}
