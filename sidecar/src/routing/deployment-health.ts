/**
 * Runtime state of one deployment as this sidecar sees it: in-flight count, latency averages and the
 * circuit breaker. Lives across policy snapshots (keyed by deployment id in the HealthRegistry), so a
 * policy push does not reset ejections or latency history.
 */
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerConfig, type BreakerState } from "./circuit-breaker";
import { Ewma } from "./ewma";

const LATENCY_TAU_MS = 10_000;

export class DeploymentHealth {
  inFlight = 0;
  readonly ttft = new Ewma(LATENCY_TAU_MS);
  readonly total = new Ewma(LATENCY_TAU_MS);
  readonly breaker: CircuitBreaker;

  constructor(readonly deploymentId: string, breaker: BreakerConfig = DEFAULT_BREAKER) {
    this.breaker = new CircuitBreaker(breaker);
  }

  /**
   * Expected cost of sending here, in ms, for the lowest-latency strategy: time to first token when known
   * (it is what a streaming client waits for), else the total; a deployment never measured scores 0 so it
   * gets tried and measured.
   */
  latencyScore(): number {
    if (this.ttft.hasValue) return this.ttft.value;
    if (this.total.hasValue) return this.total.value;
    return 0;
  }
}

export interface HealthView {
  readonly deploymentId: string;
  readonly state: BreakerState;
  /** While open: ms until a probe is let through; 0 otherwise. */
  readonly retryInMs: number;
  readonly inFlight: number;
  readonly ttftMs: number | null;
  readonly totalMs: number | null;
}

export class HealthRegistry {
  private readonly entries = new Map<string, DeploymentHealth>();

  constructor(private readonly breaker: BreakerConfig = DEFAULT_BREAKER) {}

  get(deploymentId: string): DeploymentHealth {
    let entry = this.entries.get(deploymentId);
    if (entry === undefined) {
      entry = new DeploymentHealth(deploymentId, this.breaker);
      this.entries.set(deploymentId, entry);
    }
    return entry;
  }

  /** Drops state of deployments no longer in policy. */
  retain(deploymentIds: ReadonlySet<string>): void {
    for (const id of this.entries.keys()) if (!deploymentIds.has(id)) this.entries.delete(id);
  }

  view(now: number): HealthView[] {
    return [...this.entries.values()]
      .map((h) => ({
        deploymentId: h.deploymentId,
        state: h.breaker.state(now),
        retryInMs: Math.ceil(h.breaker.retryInMs(now)),
        inFlight: h.inFlight,
        ttftMs: h.ttft.hasValue ? Math.round(h.ttft.value * 100) / 100 : null,
        totalMs: h.total.hasValue ? Math.round(h.total.value * 100) / 100 : null,
      }))
      .sort((a, b) => (a.deploymentId < b.deploymentId ? -1 : 1));
  }
}
