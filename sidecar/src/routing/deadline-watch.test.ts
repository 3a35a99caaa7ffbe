import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeadlineWatch, type Watched } from "./deadline-watch";

function item(deadline: number, log: string[], name: string): Watched {
  return { deadline, watchSlot: -1, expire: (now) => log.push(`${name}@${now}`) };
}

describe("DeadlineWatch", () => {
  it("expires only items past their deadline, once, and follows moved deadlines", () => {
    let now = 0;
    const watch = new DeadlineWatch(50, () => now);
    const log: string[] = [];
    const a = item(100, log, "a");
    const b = item(300, log, "b");
    watch.add(a);
    watch.add(b);
    watch.tick(99);
    assert.deepEqual(log, []);
    b.deadline = 150;
    watch.tick(160);
    assert.deepEqual([...log].sort(), ["a@160", "b@160"]); // within one tick, in no particular order
    watch.tick(500);
    assert.equal(log.length, 2);
    assert.equal(watch.size, 0);
    watch.close();
  });

  it("deleted items never expire; the interval fires on its own", async () => {
    const watch = new DeadlineWatch(5);
    const log: string[] = [];
    const gone = item(0, log, "gone");
    watch.add(gone);
    watch.delete(gone);
    const due = item(watch.now() + 10, log, "due");
    watch.add(due);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(log.length, 1);
    assert.match(log[0] ?? "", /^due@/);
    watch.close();
  });

  it("keeps every other item when items leave from the middle, including during a tick", () => {
    let now = 0;
    const watch = new DeadlineWatch(50, () => now);
    const log: string[] = [];
    const items = Array.from({ length: 10 }, (_, i) => item(1000 + i, log, `i${i}`));
    for (const it of items) watch.add(it);
    watch.add(items[3] as Watched); // already held: not added twice
    assert.equal(watch.size, 10);
    watch.delete(items[2] as Watched);
    watch.delete(items[7] as Watched);
    watch.delete(items[7] as Watched); // twice is harmless
    assert.equal(watch.size, 8);
    // An item that, expiring, takes two others (one already visited, one not) out of the watch.
    const a = items[0] as Watched;
    const b = items[9] as Watched;
    const c = items[5] as Watched;
    c.deadline = 10;
    c.expire = (at) => {
      log.push(`i5@${at}`);
      watch.delete(a);
      watch.delete(b);
    };
    watch.tick(20);
    assert.deepEqual(log, ["i5@20"]);
    assert.equal(watch.size, 5);
    watch.tick(5000);
    assert.deepEqual(log.slice(1).sort(), ["i1@5000", "i3@5000", "i4@5000", "i6@5000", "i8@5000"]);
    assert.equal(watch.size, 0);
    for (const it of items) assert.equal(it.watchSlot, -1);
    watch.close();
  });
});
