import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LeaseBook, type Demand, type LimitState } from "./lease-book";

const TTL = 5000;
const book = (settledAtMs = 0) => new LeaseBook({ ttlMs: TTL, graceMs: 1000, settledAtMs });
const demand = (limitKey: string, wanted: number, over: Partial<Demand> = {}): Demand => ({
  limitKey, wanted, held: 0, unreported: 0, reserved: 0, needed: wanted, release: false, ...over,
});
const rpm = (capacity: number): LimitState => ({ kind: "rpm", capacity, spent: 0, resetInMs: 0 });
const budget = (capacity: number, spent: number): LimitState => ({ kind: "budget", capacity, spent, resetInMs: 1000 });

describe("LeaseBook: rate limits", () => {
  it("gives a single sidecar its demand and half the spare; a sidecar joining finds the other half at once", () => {
    const b = book();
    assert.equal(b.allocate("a", demand("k", 10), rpm(600), 1, 0).granted, 305);
    assert.ok(Math.abs(b.allocate("b", demand("k", 10), rpm(600), 2, 1).granted - (10 + 580 / 3)) < 1e-9);
    assert.ok(b.outstanding("k", 1) <= 600 + 1e-9);
    // a's demand grows past what it holds: it gets all the limit but what b holds
    assert.ok(Math.abs(b.allocate("a", demand("k", 5000, { held: 305 }), rpm(600), 2, 1000).granted - (600 - (10 + 580 / 3))) < 1e-9);
  });

  it("never has more outstanding than the limit, and moves an idle sidecar's share to the busy ones", () => {
    const b = book();
    const ids = ["a", "b", "c", "d", "e"];
    let t = 0;
    for (const id of ids) b.allocate(id, demand("k", 0), rpm(600), 5, t);
    assert.ok(b.outstanding("k", t) <= 600 + 1e-9);
    // a is busy, the others idle: a few renewal rounds later a holds nearly everything.
    for (let round = 0; round < 4; round++) {
      t += 1000;
      for (const id of ids) {
        b.allocate(id, demand("k", id === "a" ? 5000 : 0), rpm(600), 5, t);
        assert.ok(b.outstanding("k", t) <= 600 + 1e-9, `round ${round}: ${b.outstanding("k", t)}`);
      }
    }
    const a = b.allocate("a", demand("k", 5000), rpm(600), 5, t + 1);
    assert.ok(a.granted > 590, `busy sidecar holds ${a.granted}`);
    assert.equal(a.fallbackShare, 120);
  });

  it("divides in proportion to demand when the limit is oversubscribed", () => {
    const b = book();
    b.allocate("a", demand("k", 300), rpm(100), 2, 0);
    b.allocate("b", demand("k", 100), rpm(100), 2, 0);
    // after both renewed once with the same demands:
    const a = b.allocate("a", demand("k", 300), rpm(100), 2, 1000);
    const c = b.allocate("b", demand("k", 100), rpm(100), 2, 1000);
    assert.ok(Math.abs(a.granted - 75) < 1e-9 || a.granted <= 75 + 1e-9);
    assert.ok(a.granted + c.granted <= 100 + 1e-9);
    assert.ok(Math.abs(c.granted - 25) < 1e-9, String(c.granted));
  });

  it("frees the lease of a sidecar that stopped renewing once ttl + grace passed", () => {
    const b = book();
    b.allocate("dead", demand("k", 1000), rpm(100), 2, 0);
    assert.equal(b.allocate("live", demand("k", 1000), rpm(100), 2, 10).granted, 0);
    assert.equal(b.allocate("live", demand("k", 1000), rpm(100), 2, TTL + 1000).granted, 100);
  });

  it("grants whole concurrency slots (keeping whole slots free for a sidecar joining) and frees released leases", () => {
    const b = book();
    const slots = (capacity: number) => ({ kind: "concurrency" as const, capacity, spent: 0, resetInMs: 0 });
    assert.equal(b.allocate("small", demand("s", 1), slots(2), 1, 0).granted, 2, "half a slot is not kept: one sidecar keeps both");
    assert.equal(b.allocate("a", demand("c", 3.7), slots(10), 2, 0).granted, 7, "3 of the 6.3 spare slots stay free");
    assert.equal(b.allocate("b", demand("c", 1), slots(10), 2, 1).granted, 3, "the newcomer is served at once: all that a does not hold");
    assert.equal(b.allocate("a", demand("c", 0, { release: true }), slots(10), 2, 1).granted, 0);
    assert.equal(b.outstanding("c", 2), 3, "only b's slots are held");
  });
});

describe("LeaseBook: after a restart", () => {
  it("only confirms what sidecars report holding until settled: no double grant", () => {
    const b = book(7000);
    // Before the restart, a held 400 and b held 200 of 600. b reports first, a second; c is new.
    assert.equal(b.allocate("b", demand("k", 900, { held: 200 }), rpm(600), 3, 100).granted, 200);
    assert.equal(b.allocate("c", demand("k", 900), rpm(600), 3, 200).granted, 0);
    assert.equal(b.allocate("a", demand("k", 900, { held: 400 }), rpm(600), 3, 300).granted, 400);
    assert.equal(b.outstanding("k", 300), 600);
    assert.equal(b.settled(6999), false);
    assert.equal(b.settled(7000), true);
  });
});

describe("LeaseBook: budgets", () => {
  it("never lets spend + holdings + unreported spend exceed the budget, and shrinks grants near exhaustion", () => {
    const b = book();
    const limit = 10;
    let spent = 0;
    const holdings: Record<string, number> = {};
    const grants: number[] = [];
    for (let round = 0; round < 30; round++) {
      for (const id of ["a", "b", "c"]) {
        const g = b.allocate(id, demand("bud", 2, { held: holdings[id] ?? 0 }), budget(limit, spent), 3, round * 1000);
        holdings[id] = g.granted;
        const total = spent + Object.values(holdings).reduce((x, y) => x + y, 0);
        assert.ok(total <= limit + 1e-9, `round ${round}: committed ${total}`);
        grants.push(g.granted);
      }
      // each sidecar spends half of what it holds; the usage stream then records it
      for (const id of Object.keys(holdings)) {
        const used = (holdings[id] ?? 0) / 2;
        holdings[id] = (holdings[id] ?? 0) - used;
        spent += used;
      }
    }
    assert.ok(spent <= limit + 1e-9);
    assert.ok((grants.at(-1) ?? 1) < 0.01, `last grants are tiny: ${grants.at(-1)}`);
  });

  it("leaves no holder a balance too small for one of its requests: the scraps of a nearly spent budget gather where they admit something", () => {
    const b = book();
    const ids = ["a", "b", "c", "d", "e"];
    const held = new Map(ids.map((id) => [id, 0.0014])); // 0.007 left, split five ways: each below a 0.0026 request
    const round = (t: number): number[] =>
      ids.map((id) => {
        const g = b.allocate(id, demand("bud", 0.04, { needed: 0.0052, held: held.get(id) ?? 0, minUseful: 0.0026 }), budget(0.2, 0.193), 5, t).granted;
        held.set(id, g);
        return g;
      });
    round(0);
    round(1000);
    const last = round(2000);
    assert.ok(last.some((g) => g >= 0.0026), `someone can admit a request: ${last.join(", ")}`);
    assert.ok(last.every((g) => g === 0 || g >= 0.0026), `no useless scraps: ${last.join(", ")}`);
    assert.ok(b.outstanding("bud", 2000) <= 0.007 + 1e-9);
    assert.deepEqual(round(3000), last, "and it stays that way");
    // What requests in flight reserved is kept, however little there is beyond it.
    const c = book();
    c.allocate("z", demand("bud", 0.0045, { needed: 0.0045 }), budget(0.2, 0.193), 2, 0);
    assert.equal(c.allocate("a", demand("bud", 0.04, { needed: 0.0052, held: 0.001, reserved: 0.001, minUseful: 0.0026 }), budget(0.2, 0.193), 2, 1).granted, 0.001);
  });

  it("counts unreported spend, and never grants below what requests in flight reserved when there is room", () => {
    const b = book();
    assert.equal(b.allocate("a", demand("bud", 5, { unreported: 4 }), budget(10, 3), 1, 0).granted, 3);
    assert.equal(b.allocate("a", demand("bud", 0.5, { held: 3, reserved: 2 }), budget(10, 3), 1, 1).granted, 2);
    const g = b.allocate("b", demand("bud", 100), budget(10, 3), 2, 2);
    assert.ok(g.granted <= 10 - 3 - 2 + 1e-9);
    assert.equal(g.remaining, 7);
    assert.equal(g.fallbackShare, 0);
  });

  it("caps idle shares so that a sidecar joining finds part of the budget unheld; traffic-driven need is not capped", () => {
    const b = book();
    const cap = 1000;
    // Idle holders ask for an even share of the whole budget (limit / live), none of it needed yet.
    const idle = (id: string, live: number, held: number, t: number) =>
      b.allocate(id, demand("bud", cap / live, { needed: 0, held }), budget(cap, 0), live, t).granted;
    const a = idle("a", 1, 0, 0);
    assert.equal(a, 500, "a sole holder gets half: the other half stays free for the next sidecar");
    const bGot = idle("b", 1, 0, 1);
    assert.ok(bGot > 0 && bGot <= 1000 / 3 + 1e-9, `the newcomer is served at once: ${bGot}`);
    // Renewals converge on an even split among holders + 1; the sum never exceeds the budget.
    const held: Record<string, number> = { a, b: bGot };
    for (let t = 2; t < 20; t++) {
      for (const id of ["a", "b", "c"]) held[id] = idle(id, 3, held[id] ?? 0, t);
      const sum = Object.values(held).reduce((x, y) => x + y, 0);
      assert.ok(sum <= cap + 1e-9, `committed ${sum}`);
    }
    for (const id of ["a", "b", "c"]) assert.ok(Math.abs((held[id] ?? 0) - 250) < 1, `${id} holds ${held[id]}`);
    // A busy sidecar's need is honoured beyond the even split, as far as others leave room.
    const busy = b.allocate("a", demand("bud", 600, { needed: 600, held: held.a ?? 0 }), budget(cap, 0), 3, 30).granted;
    assert.equal(busy, 500, "everything the other two do not hold");
  });
});
