/**
 * The order in which one request tries a route's deployments. Priority groups are tried lowest number
 * first; inside a group the route's strategy orders them:
 *   - priority: as configured;
 *   - weighted: weighted random order (sampling without replacement);
 *   - lowest_latency: by the deployment's EWMA time-to-first-token (unmeasured first, so it gets measured);
 *   - least_in_flight: fewest requests in flight first (ties in random order).
 * Deployments whose circuit breaker is open are skipped while any other is available; when every one is
 * ejected the request still goes out in plan order ("panic routing": failing fast on a total outage would
 * turn a partial recovery into a full one for no gain). Pure: health, clock and randomness are inputs.
 */
import type { DeploymentHealth } from "./deployment-health";

export type RouteStrategy = "priority" | "weighted" | "lowest_latency" | "least_in_flight";

export const ROUTE_STRATEGIES: readonly RouteStrategy[] = Object.freeze(["priority", "weighted", "lowest_latency", "least_in_flight"]);

export interface PlannedTarget {
  readonly deploymentId: string;
}

export interface PriorityGroup<T extends PlannedTarget> {
  readonly targets: readonly T[];
  /** Same length as targets; all ≤ 0 = equal weights. */
  readonly weights: readonly number[];
}

export type HealthLookup = (deploymentId: string) => DeploymentHealth;

export function planAttempts<T extends PlannedTarget>(
  groups: readonly PriorityGroup<T>[],
  strategy: RouteStrategy,
  health: HealthLookup,
  random: () => number,
): T[] {
  const out: T[] = [];
  for (const group of groups) {
    if (group.targets.length === 1) out.push(group.targets[0] as T);
    else for (const t of orderGroup(group, strategy, health, random)) out.push(t);
  }
  return out;
}

function orderGroup<T extends PlannedTarget>(
  group: PriorityGroup<T>,
  strategy: RouteStrategy,
  health: HealthLookup,
  random: () => number,
): readonly T[] {
  switch (strategy) {
    case "priority":
      return group.targets;
    case "weighted":
      return weightedOrder(group, random);
    case "lowest_latency":
      return sortBy(group.targets, (t) => health(t.deploymentId).latencyScore(), random);
    case "least_in_flight":
      return sortBy(group.targets, (t) => health(t.deploymentId).inFlight, random);
  }
}

function weightedOrder<T extends PlannedTarget>(group: PriorityGroup<T>, random: () => number): T[] {
  const uniform = group.weights.every((w) => w <= 0);
  const pool = group.targets.map((t, i) => ({ t, w: uniform ? 1 : Math.max(0, group.weights[i] ?? 0) }));
  const out: T[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((s, e) => s + e.w, 0);
    let index = pool.length - 1;
    if (total > 0) {
      let pick = random() * total;
      for (let i = 0; i < pool.length; i++) {
        pick -= (pool[i] as { w: number }).w;
        if (pick < 0) {
          index = i;
          break;
        }
      }
    }
    out.push((pool[index] as { t: T }).t);
    pool.splice(index, 1);
  }
  return out;
}

/** Ascending by score; equal scores in random order so ties spread load. */
function sortBy<T>(targets: readonly T[], score: (t: T) => number, random: () => number): T[] {
  return targets
    .map((t) => ({ t, s: score(t), r: random() }))
    .sort((a, b) => a.s - b.s || a.r - b.r)
    .map((e) => e.t);
}

/**
 * Index of the next candidate to try from `from` on whose breaker admits a request now (reserving a
 * half-open probe slot), or — when none does — `from` itself if `panic` is allowed, else -1.
 */
export function nextAvailable<T extends PlannedTarget>(
  plan: readonly T[],
  from: number,
  health: HealthLookup,
  now: number,
  panic: boolean,
): number {
  for (let i = from; i < plan.length; i++) {
    if (health((plan[i] as T).deploymentId).breaker.tryAcquire(now)) return i;
  }
  return panic && from < plan.length ? from : -1;
}
