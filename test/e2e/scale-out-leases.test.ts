import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startFleet, type Fleet } from "../support/fleet";
import { chat } from "../support/chat";
import { waitFor } from "../support/wait";

type Leases = { data: { limit_key: string; outstanding: number; holders: { sidecar_id: string; held: number }[] }[] };

/**
 * Scale-out with the default lease renewal (1 s), traffic far below every limit: the sidecars already
 * running hold the limits (their demand plus spare, the budget as idle shares), and a sidecar started later
 * must still serve its first requests at once rather than refuse them until the others renew.
 */
describe("scale-out: a sidecar joining a busy fleet serves at once under rate, concurrency and budget limits", () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet(2);
  });
  after(() => fleet.close());

  test("the newcomer's first requests are admitted and the budget is never over-committed", async () => {
    const budgetUsd = 1000;
    await fleet.admin.ok("PUT", "/api/v1/teams/scale", { name: "Scale", limits: {
      rpm: 1_000_000, tpm: 1_000_000_000, max_concurrent: 1000,
      budgets: [{ id: "month", limit_usd: budgetUsd, period: "month", hard: true }],
    } });
    const { key } = (await fleet.admin.ok("POST", "/api/v1/keys", { id: "scale-key", team_id: "scale" })) as { key: string };
    const leaseOf = async (): Promise<Leases["data"][number] | undefined> =>
      ((await fleet.admin.ok("GET", "/api/v1/leases")) as Leases).data.find((x) => x.limit_key === "team:scale:budget:month");
    await waitFor(async () => (await leaseOf())?.holders.length === 2, 5000);
    for (const sc of fleet.sidecars) {
      const a = await chat(sc.url, key, "[mock:words=5] warm", { model: "gpt-4o", max_tokens: 16 });
      assert.equal(a.status, 200);
    }
    // Traffic made the rate and concurrency limits interesting: both sidecars lease them too.
    await waitFor(async () => {
      const all = ((await fleet.admin.ok("GET", "/api/v1/leases")) as Leases).data;
      return ["rpm", "tpm", "concurrency"].every((k) => all.find((x) => x.limit_key === `team:scale:${k}`)?.holders.length === 2);
    }, 5000);

    const newcomer = await fleet.addSidecar("fleet-late");
    const statuses: number[] = [];
    const codes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const a = await chat(newcomer.url, key, `[mock:words=5] first ${i}`, { model: "gpt-4o", max_tokens: 16 });
      statuses.push(a.status);
      if (a.status !== 200) codes.push(String(a.body.error?.code));
    }
    assert.deepEqual(codes, [], `every first request of the newcomer is admitted: ${statuses.join(",")}`);

    const lease = await leaseOf();
    const late = lease?.holders.find((h) => h.sidecar_id === "fleet-late");
    assert.ok(late !== undefined && late.held > 0, "the newcomer holds part of the budget");
    assert.ok((lease?.outstanding ?? Infinity) <= budgetUsd + 1e-9, `outstanding ${lease?.outstanding}`);
  });
});
