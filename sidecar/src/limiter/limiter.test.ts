import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { admit, settle } from "./admission";
import { DEFAULT_FAIL_MODES } from "./fail-mode";
import { BudgetCell, ConcurrencyCell, IDLE_RELEASE_MS, RateCell } from "./limit-cell";
import { Limiter, type LimitsInput, type LimiterPolicy } from "./limiter";

const limits = (over: Partial<LimitsInput> = {}): LimitsInput => ({
  rpm: 0, tpm: 0, maxConcurrent: 0, budgets: [], modelLimits: new Map(), ...over,
});
const policy = (key: LimitsInput, team: LimitsInput = limits(), global: LimiterPolicy["globalLimits"] = new Map()): LimiterPolicy => ({
  keys: [{ id: "k1", teamId: "t1", limits: key }],
  teams: new Map([["t1", team]]),
  globalLimits: global,
});
const grant = (granted: number, limit: number, extra: Partial<{ remaining: number; resetInMs: number; fallbackShare: number }> = {}) => ({
  granted, ttlMs: 5000, limit, fallbackShare: extra.fallbackShare ?? limit / 2, remaining: extra.remaining ?? limit, resetInMs: extra.resetInMs ?? 0,
});

describe("Limiter", () => {
  it("builds one plan per (key, model) from key, team, per-model and org-wide limits", () => {
    const l = new Limiter({ burstMs: 60_000, failModes: DEFAULT_FAIL_MODES });
    l.update(policy(
      limits({ rpm: 10, modelLimits: new Map([["m", { rpm: 0, tpm: 500, maxConcurrent: 0 }]]) }),
      limits({ maxConcurrent: 2, budgets: [{ id: "b", limitUsd: 1, hard: true }, { id: "soft", limitUsd: 1, hard: false }] }),
      new Map([["m", { rpm: 100, tpm: 0, maxConcurrent: 0 }]]),
    ), 0);
    const plan = l.plan("k1", "m");
    assert.deepEqual(plan?.requests.map((c) => c.key), ["key:k1:rpm", "global:*:rpm:m"]);
    assert.deepEqual(plan?.tokens.map((c) => c.key), ["key:k1:tpm:m"]);
    assert.deepEqual(plan?.concurrency.map((c) => c.key), ["team:t1:concurrency"]);
    assert.deepEqual(plan?.budgets.map((c) => c.key), ["team:t1:budget:b"]);
    assert.equal(l.plan("k1", "m"), plan, "memoized");
    assert.deepEqual(l.plan("k1", "other")?.requests.map((c) => c.key), ["key:k1:rpm"]);
    assert.equal(l.plan("nobody", "m"), null);
  });

  it("keeps a limit's state across snapshots while its key exists", () => {
    const l = new Limiter({ burstMs: 60_000, failModes: DEFAULT_FAIL_MODES });
    l.update(policy(limits({ rpm: 10 })), 0);
    const before = l.get("key:k1:rpm") as RateCell;
    for (let i = 0; i < 4; i++) assert.equal(admit(l.plan("k1", "m")!, 1, 0, 0), null);
    l.update(policy(limits({ rpm: 10, tpm: 100 })), 0);
    assert.equal(l.get("key:k1:rpm"), before);
    assert.equal((l.get("key:k1:rpm") as RateCell).remaining(0), 6);
    l.update(policy(limits({ tpm: 100 })), 0);
    assert.equal(l.get("key:k1:rpm"), undefined);
  });

  it("is all-or-nothing: a rejection takes nothing from the other limits", () => {
    const l = new Limiter({ burstMs: 60_000, failModes: DEFAULT_FAIL_MODES });
    l.update(policy(limits({ rpm: 100, maxConcurrent: 1 })), 0);
    l.refreshAll(0, true, 1);
    const plan = l.plan("k1", "m")!;
    assert.equal(admit(plan, 1, 0, 0), null);
    const rejected = admit(plan, 1, 0, 0);
    assert.ok(rejected instanceof ConcurrencyCell);
    assert.equal((l.get("key:k1:rpm") as RateCell).remaining(0), 99);
    settle(plan, 1, 1, 0, 0, 0);
    assert.equal(admit(plan, 1, 0, 0), null);
  });

  it("uses the lease once granted, the provisional share before, and the fail mode after it expired", () => {
    const l = new Limiter({ burstMs: 60_000, failModes: { ...DEFAULT_FAIL_MODES, tpm: "open", concurrency: "closed" } });
    l.update(policy(limits({ rpm: 100, tpm: 1000, maxConcurrent: 4 })), 0);
    l.refreshAll(0, true, 4);
    const rpm = l.get("key:k1:rpm") as RateCell;
    assert.equal(rpm.remaining(0), 25, "before a lease: limit / live sidecars");
    rpm.grant(grant(10, 100, { fallbackShare: 20 }), 0, 1000);
    l.refreshAll(0, true, 4);
    assert.equal(rpm.remaining(0), 10);
    l.refreshAll(4500, false, 4);
    assert.equal(rpm.hasLease, false, "expired a renewal interval before the ttl");
    assert.ok(rpm.remaining(4500) <= 20, "share mode: the fallback share");
    const tpm = l.get("key:k1:tpm") as RateCell;
    assert.equal(tpm.enforced, false, "open mode while the control plane is gone");
    const conc = l.get("key:k1:concurrency") as ConcurrencyCell;
    assert.equal(conc.canTake(4500), false, "closed mode");
  });

  it("an idle limit hands its lease back; the answer to that release is not a lease of 0", () => {
    const l = new Limiter({ burstMs: 60_000, failModes: DEFAULT_FAIL_MODES });
    l.update(policy(limits({ rpm: 600 })), 0);
    l.refreshAll(0, true, 1);
    const rpm = l.get("key:k1:rpm") as RateCell;
    const plan = l.plan("k1", "m")!;
    assert.equal(admit(plan, 1, 0, 0), null);
    rpm.grant(grant(600, 600), 0, 1000);
    const idle = IDLE_RELEASE_MS + 1000;
    const d = rpm.demand(idle);
    assert.equal(d.release, true, "no traffic for the idle window: released");
    rpm.grant(grant(0, 600), idle, 1000); // the control plane's answer to the release
    l.refreshAll(idle, true, 1);
    assert.equal(rpm.hasLease, false);
    assert.equal(admit(plan, 1, 0, idle), null, "traffic after the idle spell is admitted (provisional share)");
    assert.ok(rpm.remaining(idle) > 0);
    assert.equal(rpm.demand(idle + 1000).release, false, "and the next report asks for a lease again");
    rpm.grant(grant(0, 600), idle + 1000, 1000); // a real grant of 0 (the pool is taken) is a lease of 0
    l.refreshAll(idle + 1000, true, 1);
    assert.equal(rpm.hasLease, true);
  });

  it("budgets: nothing before the lease, reserve the maximum, charge the actual cost, report it until acknowledged", () => {
    const l = new Limiter({ burstMs: 60_000, failModes: DEFAULT_FAIL_MODES });
    l.update(policy(limits({ budgets: [{ id: "b", limitUsd: 10, hard: true }] })), 0);
    l.refreshAll(0, true, 1);
    const cell = l.get("key:k1:budget:b") as BudgetCell;
    const plan = l.plan("k1", "m")!;
    assert.ok(admit(plan, 1, 0.5, 0) === cell, "no lease yet");
    const first = cell.demand(0);
    assert.equal(first.wanted, 10, "first demand: an even share of the budget (one sidecar: all of it)");
    assert.equal(first.needed, 2, "of which its traffic needs four renewals of attempted spend");
    cell.grant(grant(2, 10, { remaining: 10, resetInMs: 60_000 }), 0, 1000);
    l.refreshAll(0, true, 1);
    assert.equal(admit(plan, 1, 1.5, 0), null);
    assert.ok(admit(plan, 1, 1, 0) === cell, "0.5 left after the reservation");
    settle(plan, 1, 1, 1.5, 0.2, 0);
    assert.ok(Math.abs(cell.balance - 1.8) < 1e-9);
    const d = cell.demand(1000);
    assert.ok(Math.abs(d.held - 1.8) < 1e-9 && Math.abs(d.unreported - 0.2) < 1e-9);
    settle(plan, 0, -1, 0, 0.3, 1000); // charged after the report was sent…
    cell.grant(grant(1.8, 10), 1000, 1000); // …so it comes out of the grant that answers it
    assert.ok(Math.abs(cell.balance - 1.5) < 1e-9);
    cell.acknowledged(0.2);
    assert.ok(Math.abs(cell.demand(2000).unreported - 0.3) < 1e-9);
    cell.grant(grant(0, 10, { remaining: 0, resetInMs: 60_000 }), 2000, 1000);
    assert.equal(cell.exhausted(), true);
    assert.equal(cell.msUntilReset(3000), 59_000);
  });

  it("budgets: used up once what is left, less this sidecar's spend the control plane had not recorded, is below a reservation; a short share is not", () => {
    const l = new Limiter({ burstMs: 60_000, failModes: DEFAULT_FAIL_MODES });
    l.update(policy(limits({ budgets: [{ id: "b", limitUsd: 1, hard: true }] })), 0);
    const cell = l.get("key:k1:budget:b") as BudgetCell;
    const plan = l.plan("k1", "m")!;
    cell.grant(grant(0.2, 1, { remaining: 1, resetInMs: 60_000 }), 0, 1000);
    l.refreshAll(0, true, 1);
    assert.ok(admit(plan, 1, 0.3, 0) === cell, "a 0.3 reservation does not fit the 0.2 share");
    assert.equal(cell.exhausted(), false, "but the budget has 1 left: only the share is short");
    cell.grant(grant(1, 1, { remaining: 1, resetInMs: 60_000 }), 1, 1000);
    l.refreshAll(1, true, 1);
    for (let i = 0; i < 3; i++) {
      assert.equal(admit(plan, 1, 0.3, 1), null);
      settle(plan, 1, 1, 0.3, 0.3, 1);
    }
    assert.equal(cell.exhausted(), true, "0.9 of 1 spent here since the grant: 0.1 left, below a 0.3 reservation");
    cell.grant(grant(1, 1, { remaining: 1, resetInMs: 60_000 }), 2, 1000);
    assert.equal(cell.exhausted(), true, "a grant that arrives before the 0.9 is acknowledged cannot include it");
    cell.acknowledged(0.9);
    assert.equal(cell.exhausted(), true, "an acknowledgement does not make that grant newer");
    cell.grant(grant(1, 1, { remaining: 0.1, resetInMs: 60_000 }), 3, 1000);
    assert.equal(cell.exhausted(), true, "the control plane says 0.1 is left");
    cell.grant(grant(1, 1, { remaining: 0.5, resetInMs: 60_000 }), 4, 1000); // e.g. the limit was raised
    assert.equal(cell.exhausted(), false);
  });
});
