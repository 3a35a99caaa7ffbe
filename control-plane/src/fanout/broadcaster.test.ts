import { test } from "node:test";
import assert from "node:assert/strict";
import { Broadcaster } from "./broadcaster";
import type { VersionedSnapshot } from "../domain/types";

const snap = (version: number): VersionedSnapshot => ({
  version,
  issuedAtMs: version,
  snapshot: { teams: [], keys: [], routes: [], deployments: [], credentials: [], prices: [], priceCatalogVersion: "", globalLimits: [] },
});

test("a subscriber gets the current snapshot immediately, then each newer one", async () => {
  const b = new Broadcaster();
  b.publish(snap(3));
  const sub = b.subscribe();
  assert.equal((await sub.next())?.version, 3);
  const pending = sub.next();
  b.publish(snap(4));
  assert.equal((await pending)?.version, 4);
});

test("a subscriber that joins before the first publish waits for it", async () => {
  const b = new Broadcaster();
  const sub = b.subscribe();
  const pending = sub.next();
  b.publish(snap(1));
  assert.equal((await pending)?.version, 1);
});

test("older or equal versions are ignored", () => {
  const b = new Broadcaster();
  assert.equal(b.publish(snap(5)), true);
  assert.equal(b.publish(snap(5)), false);
  assert.equal(b.publish(snap(4)), false);
  assert.equal(b.current?.version, 5);
});

test("a slow subscriber skips intermediate versions and only sees the latest", async () => {
  const b = new Broadcaster();
  b.publish(snap(1));
  const sub = b.subscribe();
  assert.equal((await sub.next())?.version, 1);
  for (let v = 2; v <= 50; v += 1) b.publish(snap(v));
  assert.equal((await sub.next())?.version, 50);
  const pending = sub.next();
  let settled = false;
  void pending.then(() => (settled = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false, "nothing newer: next() waits");
  b.publish(snap(51));
  assert.equal((await pending)?.version, 51);
});

test("close ends pending and future next() calls with undefined", async () => {
  const b = new Broadcaster();
  const sub = b.subscribe();
  const pending = sub.next();
  assert.equal(b.subscriberCount, 1);
  b.close();
  assert.equal(await pending, undefined);
  assert.equal(await sub.next(), undefined);
  assert.equal(b.publish(snap(9)), false);
  assert.equal(b.subscriberCount, 0);
});

test("closing one subscription leaves the others", async () => {
  const b = new Broadcaster();
  const a = b.subscribe();
  const c = b.subscribe();
  const pa = a.next();
  a.close();
  assert.equal(await pa, undefined);
  const pc = c.next();
  b.publish(snap(1));
  assert.equal((await pc)?.version, 1);
  assert.equal(b.subscriberCount, 1);
});
