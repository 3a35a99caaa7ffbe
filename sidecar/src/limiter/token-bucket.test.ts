import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TokenBucket } from "./token-bucket";
import { countText, resetText } from "./duration-text";

describe("TokenBucket", () => {
  it("starts full with a burst of burstMs worth of the rate and refills at rate/60 s", () => {
    const b = new TokenBucket(600, 10_000, 0); // 10/s, burst 100
    assert.equal(b.remaining(0), 100);
    for (let i = 0; i < 100; i++) {
      assert.ok(b.canTake(1, 0));
      b.take(1);
    }
    assert.equal(b.canTake(1, 0), false);
    assert.equal(b.msUntil(1, 0), 100);
    assert.ok(b.canTake(1, 100));
    assert.equal(b.remaining(1000), 10);
    assert.equal(b.msUntilFull(1000), 9000);
  });

  it("admits more than the burst only from a full bucket, then runs into debt", () => {
    const b = new TokenBucket(60, 10_000, 0); // burst 10
    assert.ok(b.canTake(50, 0));
    b.take(50);
    assert.equal(b.canTake(1, 30_000), false, "still repaying");
    assert.ok(b.canTake(1, 41_000));
  });

  it("keeps at least one token of burst for tiny rates, none for rate 0, and is unlimited for Infinity", () => {
    assert.equal(new TokenBucket(1, 1000, 0).remaining(0), 1);
    const zero = new TokenBucket(0, 1000, 0);
    assert.equal(zero.canTake(1, 10_000), false);
    assert.equal(zero.msUntil(1, 0), Number.POSITIVE_INFINITY);
    const open = new TokenBucket(Number.POSITIVE_INFINITY, 1000, 0);
    assert.ok(open.canTake(1e9, 0));
    assert.equal(open.limited, false);
  });

  it("drops tokens above a shrunk capacity and adds none when the rate grows", () => {
    const b = new TokenBucket(600, 10_000, 0);
    b.configure(60, 10_000, 0);
    assert.equal(b.remaining(0), 10);
    b.configure(6000, 10_000, 0);
    assert.equal(b.remaining(0), 10);
  });

  it("reconciles: gives back unused tokens, takes extra ones", () => {
    const b = new TokenBucket(6000, 10_000, 0); // burst 1000
    b.take(800);
    b.adjust(500, 0);
    assert.equal(b.remaining(0), 700);
    b.adjust(-900, 0);
    assert.equal(b.remaining(0), 0);
    assert.equal(b.canTake(1, 0), false);
  });
});

describe("rate-limit header text", () => {
  it("formats resets the way OpenAI does", () => {
    assert.equal(resetText(0), "0s");
    assert.equal(resetText(17), "17ms");
    assert.equal(resetText(999.2), "1000ms");
    assert.equal(resetText(1000), "1s");
    assert.equal(resetText(1500), "1.5s");
    assert.equal(resetText(59_950), "60s");
    assert.equal(resetText(360_000), "6m0s");
    assert.equal(resetText(90_500), "1m31s");
    assert.equal(resetText(3_723_000), "1h2m3s");
  });
  it("writes counts of every size as plain decimals", () => {
    for (const n of [0, 7, 999, 1000, 99_999, 100_000, 2 ** 31 - 1, 2 ** 31, 1_000_000_000_000, 166_666_662_526, 1_000_000_007_000, Number.MAX_SAFE_INTEGER]) {
      assert.equal(countText(n), String(n));
    }
  });
  it("caches strings", () => {
    assert.equal(countText(42), "42");
    assert.equal(resetText(1500), resetText(1500));
  });
});
