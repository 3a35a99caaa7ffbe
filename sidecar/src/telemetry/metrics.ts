import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Every sidecar metric, on a per-instance registry (several sidecars may share a process in tests). */
export class SidecarMetrics {
  readonly registry = new Registry();
  /** Hot-path request counts, copied into the prom-client counter at scrape time. */
  private readonly requestCounts = new Map<string, { route: string; status: string; code: string; n: number }>();
  private readonly requests = new Counter({
    name: "sidegate_sidecar_requests_total",
    help: "Requests answered, by route, HTTP status and error code (empty = success).",
    labelNames: ["route", "status", "code"] as const,
    registers: [this.registry],
    collect: () => this.syncRequestCounts(),
  });
  private readonly upstreamLatency = new Histogram({
    name: "sidegate_sidecar_upstream_latency_seconds",
    help: "Time from dispatch to upstream response headers, by provider.",
    labelNames: ["provider"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: "sidegate_sidecar_in_flight_requests",
    help: "Proxied requests currently in flight.",
    registers: [this.registry],
  });
  readonly usageBatches = new Counter({
    name: "sidegate_sidecar_usage_batches_total",
    help: "Usage batches by event: sent (incl. re-sends), acked, duplicate, dropped (queue full).",
    labelNames: ["event"] as const,
    registers: [this.registry],
  });
  readonly usageQueue = new Gauge({
    name: "sidegate_sidecar_usage_unacked_batches",
    help: "Usage batches waiting for an ack.",
    registers: [this.registry],
  });
  readonly policyVersion = new Gauge({
    name: "sidegate_sidecar_policy_version",
    help: "Version of the policy snapshot in use (0 = none).",
    registers: [this.registry],
  });
  readonly policyUpdates = new Counter({
    name: "sidegate_sidecar_policy_updates_total",
    help: "Policy updates by result: applied, rejected, resync (delta on a different base).",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  readonly leaseRequests = new Counter({
    name: "sidegate_sidecar_lease_requests_total",
    help: "Capacity lease requests sent to the control plane.",
    registers: [this.registry],
  });
  private readonly limitRejections = new Counter({
    name: "sidegate_sidecar_limit_rejections_total",
    help: "Requests rejected by a local limit, by kind (rpm, tpm, concurrency, budget).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  readonly policyStaleness: Gauge;
  private readonly latencyChildren = new Map<string, Histogram.Internal<"provider">>();

  constructor(staleness: () => number) {
    this.policyStaleness = new Gauge({
      name: "sidegate_sidecar_policy_staleness_seconds",
      help: "0 while the Watch stream is healthy; otherwise seconds since it was last healthy (or since start).",
      registers: [this.registry],
      collect() {
        this.set(staleness());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: "sidegate_sidecar_" });
  }

  private readonly rejectionChildren = new Map<string, Counter.Internal>();

  /** A request rejected by a local limit of `kind`. */
  countLimitRejection(kind: string): void {
    let child = this.rejectionChildren.get(kind);
    if (child === undefined) {
      child = this.limitRejections.labels(kind);
      this.rejectionChildren.set(kind, child);
    }
    child.inc();
  }

  /** Hot path: a Map increment; prom-client sees the totals at scrape time. */
  countRequest(route: string, status: number, code: string): void {
    const id = `${route}|${status}|${code}`;
    const entry = this.requestCounts.get(id);
    if (entry !== undefined) entry.n++;
    else this.requestCounts.set(id, { route, status: String(status), code, n: 1 });
  }

  private syncRequestCounts(): void {
    this.requests.reset();
    for (const e of this.requestCounts.values()) this.requests.inc({ route: e.route, status: e.status, code: e.code }, e.n);
  }

  observeUpstreamLatency(provider: string, seconds: number): void {
    let child = this.latencyChildren.get(provider);
    if (child === undefined) {
      child = this.upstreamLatency.labels(provider);
      this.latencyChildren.set(provider, child);
    }
    child.observe(seconds);
  }
}
