import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeadlineWatch, type Watched } from "./deadline-watch";

function item(deadline: number, log: string[], name: string): Watched {
  return { deadline, expire: (now) => log.push(`${name}@${now}`) };
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
    assert.deepEqual(log, ["a@160", "b@160"]);
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
});
