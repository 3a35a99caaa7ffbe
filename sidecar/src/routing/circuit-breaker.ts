/**
 * Per-deployment outlier ejection. Closed: every request passes; a run of consecutive failures, or an error
 * rate over a sliding window with enough volume, opens the breaker. Open: nothing passes until the ejection
 * time has elapsed (it doubles each time the deployment is ejected again, up to a cap). Half-open: a bounded
 * number of probe requests pass; one success closes the breaker, one failure re-opens it. Pure: the clock
 * is passed in by the caller.
 */
import { SlidingPair } from "./sliding-window";

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerConfig {
  /** Consecutive failures that open the breaker. */
  readonly consecutiveFailures: number;
  /** Failure ratio (0–1] over the window that opens the breaker once `minRequests` were seen. */
  readonly errorRate: number;
  readonly minRequests: number;
  readonly windowMs: number;
  /** First ejection; doubled per repeated ejection up to `maxOpenMs`. */
  readonly openMs: number;
  readonly maxOpenMs: number;
  /** Probes allowed in flight while half-open. */
  readonly halfOpenProbes: number;
}

export const DEFAULT_BREAKER: BreakerConfig = Object.freeze({
  consecutiveFailures: 5,
  errorRate: 0.5,
  minRequests: 20,
  windowMs: 10_000,
  openMs: 5_000,
  maxOpenMs: 60_000,
  halfOpenProbes: 1,
});

export class CircuitBreaker {
  private stateValue: BreakerState = "closed";
  private consecutive = 0;
  private openedAt = 0;
  private ejections = 0;
  private probes = 0;
  /** a = successes, b = failures. */
  private readonly outcomes: SlidingPair;

  constructor(private readonly config: BreakerConfig = DEFAULT_BREAKER) {
    this.outcomes = new SlidingPair(config.windowMs);
  }

  /** State as of `now` (an open breaker whose ejection elapsed reads as half-open). */
  state(now: number): BreakerState {
    if (this.stateValue === "open" && now - this.openedAt >= this.currentOpenMs()) {
      this.stateValue = "half_open";
      this.probes = 0;
    }
    return this.stateValue;
  }

  /** Whether a request may go to this deployment now; reserves a probe slot when half-open. */
  tryAcquire(now: number): boolean {
    const state = this.state(now);
    if (state === "closed") return true;
    if (state === "open") return false;
    if (this.probes >= this.config.halfOpenProbes) return false;
    this.probes++;
    return true;
  }

  /** Milliseconds until an open breaker lets a probe through (0 when not open). */
  retryInMs(now: number): number {
    if (this.state(now) !== "open") return 0;
    return Math.max(0, this.openedAt + this.currentOpenMs() - now);
  }

  onSuccess(now: number): void {
    this.outcomes.addA(now);
    this.consecutive = 0;
    if (this.stateValue === "half_open") {
      this.stateValue = "closed";
      this.ejections = 0;
      this.probes = 0;
      this.outcomes.reset(now);
    }
  }

  onFailure(now: number): void {
    this.outcomes.addB(now);
    this.consecutive++;
    if (this.stateValue === "half_open") {
      this.open(now);
      return;
    }
    if (this.stateValue !== "closed") return;
    if (this.consecutive >= this.config.consecutiveFailures || this.rateTripped(now)) this.open(now);
  }

  /** A request given a probe slot ended without a verdict (e.g. the client went away). */
  release(): void {
    if (this.stateValue === "half_open" && this.probes > 0) this.probes--;
  }

  private currentOpenMs(): number {
    return Math.min(this.config.maxOpenMs, this.config.openMs * 2 ** Math.max(0, this.ejections - 1));
  }

  private open(now: number): void {
    this.stateValue = "open";
    this.openedAt = now;
    this.ejections++;
    this.consecutive = 0;
    this.probes = 0;
  }

  private rateTripped(now: number): boolean {
    const [ok, failed] = this.outcomes.sums(now);
    const total = ok + failed;
    return total >= this.config.minRequests && failed / total >= this.config.errorRate;
  }
}
