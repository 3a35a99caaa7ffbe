import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { LeaseBook } from "../../control-plane/src/domain/lease-book";
import { BudgetCell } from "../../sidecar/src/limiter/limit-cell";

/**
 * The documented worst case (README "Limits and budgets"), checked against the real lease book and the
 * real sidecar budget cell in a seeded simulation:
 *
 *   spend ≤ budget + Σ_requests max(0, actual − reserved) + Σ_lapsed sidecars (reservations in flight when
 *   their lease lapsed)
 *
 * The last term exists only while a sidecar cannot reach the control plane.
 */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Flight {
  reserved: number;
  actual: number;
  doneAt: number;
}

function simulate(opts: { seed: number; sidecars: number; limit: number; partitionAt?: number; excessRate?: number }) {
  const random = rng(opts.seed);
  const TTL = 1000;
  const RENEW = 200;
  const TICK = 100;
  const book = new LeaseBook({ ttlMs: TTL, graceMs: 500, settledAtMs: 0 });
  const cells = Array.from({ length: opts.sidecars }, () => new BudgetCell("team:t:budget:b", "budget", opts.limit, 0));
  const flights: Flight[][] = cells.map(() => []);
  const pendingGrant: (null | { granted: number; remaining: number })[] = cells.map(() => null);
  const usage: { cost: number; ackAt: number; cell: number }[] = [];
  let spent = 0; // the control plane's recorded spend
  let charged = 0; // what was really spent
  let excess = 0;
  let inFlightAtLapse = 0;
  for (let now = 0; now < 20_000; now += TICK) {
    cells.forEach((cell, i) => {
      const partitioned = opts.partitionAt !== undefined && i === 0 && now >= opts.partitionAt;
      // Answers to last tick's reports arrive (charges made since then already come out of them).
      const g = pendingGrant[i];
      if (g !== null && g !== undefined && !partitioned) {
        cell.grant({ granted: g.granted, ttlMs: TTL, limit: opts.limit, fallbackShare: 0, remaining: g.remaining, resetInMs: 0 }, now, RENEW);
        pendingGrant[i] = null;
      }
      const wasLeased = cell.hasLease;
      cell.refresh(now, "closed", !partitioned, opts.sidecars);
      if (wasLeased && !cell.hasLease && partitioned) inFlightAtLapse += (flights[i] ?? []).reduce((s, f) => s + f.reserved, 0);
      // Finished requests are charged; their usage reaches the control plane a little later.
      const list = flights[i] ?? [];
      for (const f of list.filter((x) => x.doneAt <= now)) {
        cell.settle(f.reserved, f.actual);
        charged += f.actual;
        excess += Math.max(0, f.actual - f.reserved);
        usage.push({ cost: f.actual, ackAt: now + TICK * (1 + Math.floor(random() * 3)), cell: i });
      }
      flights[i] = list.filter((x) => x.doneAt > now);
      // New requests: reserve the maximum; 5 % cost more than reserved (an estimate that was too low).
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
        const reserved = 0.01 + random() * 0.04;
        if (!cell.canReserve(reserved, now)) continue;
        cell.reserve(reserved);
        const actual = random() < (opts.excessRate ?? 0.05) ? reserved * 1.5 : reserved * (0.2 + random() * 0.8);
        flights[i]?.push({ reserved, actual, doneAt: now + TICK * (1 + Math.floor(random() * 5)) });
      }
      // Report every renewal interval.
      if (now % RENEW === 0 && !partitioned) {
        const d = cell.demand(now);
        const grant = book.allocate(`s${i}`, { limitKey: "b", ...d }, { kind: "budget", capacity: opts.limit, spent, resetInMs: 0 }, opts.sidecars, now);
        pendingGrant[i] = { granted: grant.granted, remaining: grant.remaining };
      }
    });
    // The control plane stores usage (spent grows) before the sidecar sees the ack (unreported shrinks).
    for (const u of usage.filter((x) => x.ackAt <= now)) {
      spent += u.cost;
      cells[u.cell]?.acknowledged(u.cost);
    }
    for (let j = usage.length - 1; j >= 0; j--) if ((usage[j]?.ackAt ?? 0) <= now) usage.splice(j, 1);
  }
  return { charged, excess, inFlightAtLapse };
}

describe("worst-case budget overspend", () => {
  test("with the control plane reachable: spend ≤ budget + Σ max(0, actual − reserved)", () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const r = simulate({ seed, sidecars: 5, limit: 3 });
      assert.ok(r.charged <= 3 + r.excess + 1e-9, `seed ${seed}: spent ${r.charged}, bound ${3 + r.excess}`);
      assert.ok(r.charged >= 3 * 0.8, `seed ${seed}: the budget was usable (${r.charged})`);
    }
  });

  test("every request within its reservation: spend never exceeds the budget", () => {
    for (const seed of [42, 43, 44]) {
      const r = simulate({ seed, sidecars: 5, limit: 2, excessRate: 0 });
      assert.equal(r.excess, 0);
      assert.ok(r.charged <= 2 + 1e-9, `seed ${seed}: ${r.charged}`);
    }
  });

  test("a partitioned sidecar adds at most the reservations it had in flight when its lease lapsed", () => {
    for (const seed of [11, 12, 13]) {
      const r = simulate({ seed, sidecars: 4, limit: 3, partitionAt: 3000 });
      assert.ok(r.charged <= 3 + r.excess + r.inFlightAtLapse + 1e-9, `seed ${seed}: ${r.charged} vs ${3 + r.excess + r.inFlightAtLapse}`);
    }
  });
});
