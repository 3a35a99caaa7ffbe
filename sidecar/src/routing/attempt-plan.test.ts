import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextAvailable, planAttempts, type PriorityGroup } from "./attempt-plan";
import { HealthRegistry } from "./deployment-health";

interface T {
  readonly deploymentId: string;
}
const t = (id: string): T => ({ deploymentId: id });

function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

describe("planAttempts", () => {
  const groups: PriorityGroup<T>[] = [
    { targets: [t("a"), t("b"), t("c")], weights: [1, 1, 2] },
    { targets: [t("z")], weights: [0] },
  ];

  it("priority keeps the configured order, then the next group", () => {
    const health = new HealthRegistry();
    assert.deepEqual(planAttempts(groups, "priority", (id) => health.get(id), Math.random).map((x) => x.deploymentId), ["a", "b", "c", "z"]);
  });

  it("weighted samples without replacement by weight", () => {
    const health = new HealthRegistry();
    // total 4: 0.6·4 = 2.4 → c (a covers [0,1), b [1,2), c [2,4)); then of a,b (total 2): 0.9·2 = 1.8 → b.
    const plan = planAttempts(groups, "weighted", (id) => health.get(id), sequence(0.6, 0.9, 0));
    assert.deepEqual(plan.map((x) => x.deploymentId), ["c", "b", "a", "z"]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) {
      const first = planAttempts(groups, "weighted", (id) => health.get(id), Math.random)[0]?.deploymentId ?? "";
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    assert.ok((counts.get("c") ?? 0) > 1_700 && (counts.get("c") ?? 0) < 2_300, `c ≈ half: ${counts.get("c")}`);
  });

  it("lowest_latency prefers the fastest, unmeasured first", () => {
    const health = new HealthRegistry();
    health.get("a").ttft.add(300, 0);
    health.get("b").ttft.add(100, 0);
    const plan = planAttempts(groups, "lowest_latency", (id) => health.get(id), sequence(0.5));
    assert.deepEqual(plan.map((x) => x.deploymentId), ["c", "b", "a", "z"]);
  });

  it("least_in_flight prefers the idlest", () => {
    const health = new HealthRegistry();
    health.get("a").inFlight = 5;
    health.get("b").inFlight = 0;
    health.get("c").inFlight = 2;
    const plan = planAttempts(groups, "least_in_flight", (id) => health.get(id), sequence(0.5));
    assert.deepEqual(plan.map((x) => x.deploymentId), ["b", "c", "a", "z"]);
  });
});

describe("nextAvailable", () => {
  it("skips ejected deployments, and panics onto the plan when all are ejected", () => {
    const health = new HealthRegistry();
    const plan = [t("a"), t("b")];
    for (let i = 0; i < 5; i++) health.get("a").breaker.onFailure(0);
    assert.equal(nextAvailable(plan, 0, (id) => health.get(id), 1, true), 1);
    for (let i = 0; i < 5; i++) health.get("b").breaker.onFailure(0);
    assert.equal(nextAvailable(plan, 0, (id) => health.get(id), 1, true), 0);
    assert.equal(nextAvailable(plan, 0, (id) => health.get(id), 1, false), -1);
  });
});

describe("HealthRegistry", () => {
  it("keeps state per deployment across lookups and drops removed ones", () => {
    const health = new HealthRegistry();
    health.get("a").total.add(120, 0);
    health.get("b");
    health.retain(new Set(["a"]));
    assert.deepEqual(health.view(0).map((v) => [v.deploymentId, v.state, v.totalMs]), [["a", "closed", 120]]);
  });
});
