import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { record } from "../domain/test-fixtures";
import type { Store } from "../store/types";
import { SpendLedger } from "./spend-ledger";

/** A store whose spend reads are counted and can be held open. */
function spendStore() {
  let value = 1;
  let reads = 0;
  let hold: Promise<void> | null = null;
  const store = {
    async spendBetween(): Promise<number> {
      reads++;
      const v = value; // read at call time, as SQLite does
      if (hold !== null) await hold;
      return v;
    },
  } as unknown as Store;
  return {
    store,
    set: (v: number) => (value = v),
    reads: () => reads,
    holdReads: () => {
      let release!: () => void;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

const window = { startMs: 0, endMs: 1000 };
const team = { scope: "team" as const, id: "t1" };

describe("SpendLedger", () => {
  it("caches per team/key and period until a stored batch touches it", async () => {
    const s = spendStore();
    const ledger = new SpendLedger(s.store);
    assert.equal(await ledger.spent(team, window), 1);
    assert.equal(await ledger.spent(team, window), 1);
    assert.equal(s.reads(), 1);
    s.set(2);
    ledger.invalidate([record({ teamId: "t1", costUsd: 0.5 })]);
    assert.equal(await ledger.spent(team, window), 2);
    ledger.invalidate([record({ teamId: "other", keyId: "other", costUsd: 0.5 })]);
    assert.equal(await ledger.spent(team, window), 2);
    assert.equal(s.reads(), 2);
  });

  it("does not cache a read that raced a stored batch", async () => {
    const s = spendStore();
    const ledger = new SpendLedger(s.store);
    const release = s.holdReads();
    const racing = ledger.spent(team, window);
    s.set(5);
    ledger.invalidate([record({ teamId: "t1", costUsd: 4 })]);
    release();
    assert.equal(await racing, 1, "the racing read answers what it read");
    assert.equal(await ledger.spent(team, window), 5, "but was not cached");
  });
});
