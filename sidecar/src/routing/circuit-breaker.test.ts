import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CircuitBreaker, DEFAULT_BREAKER } from "./circuit-breaker";

const config = { ...DEFAULT_BREAKER, consecutiveFailures: 3, minRequests: 10, errorRate: 0.5, openMs: 1_000, maxOpenMs: 4_000 };

describe("CircuitBreaker", () => {
  it("opens after consecutive failures and rejects until the ejection elapses", () => {
    const b = new CircuitBreaker(config);
    b.onFailure(1_000);
    b.onFailure(1_001);
    assert.equal(b.state(1_002), "closed");
    b.onFailure(1_002);
    assert.equal(b.state(1_003), "open");
    assert.equal(b.tryAcquire(1_500), false);
    assert.equal(b.retryInMs(1_500), 502);
    assert.equal(b.state(2_002), "half_open");
  });

  it("a success resets the consecutive count", () => {
    const b = new CircuitBreaker(config);
    b.onFailure(1);
    b.onFailure(2);
    b.onSuccess(3);
    b.onFailure(4);
    b.onFailure(5);
    assert.equal(b.state(6), "closed");
  });

  it("half-open admits one probe; success closes, failure re-opens for twice as long", () => {
    const b = new CircuitBreaker(config);
    for (let i = 0; i < 3; i++) b.onFailure(10);
    assert.equal(b.tryAcquire(1_010), true, "the probe");
    assert.equal(b.tryAcquire(1_011), false, "only one probe in flight");
    b.onFailure(1_020);
    assert.equal(b.state(1_021), "open");
    assert.equal(b.state(2_900), "open", "second ejection lasts 2 s");
    assert.equal(b.state(3_020), "half_open");
    assert.equal(b.tryAcquire(3_020), true);
    b.onSuccess(3_030);
    assert.equal(b.state(3_031), "closed");
    assert.equal(b.tryAcquire(3_032), true);
  });

  it("ejection time is capped", () => {
    const b = new CircuitBreaker(config);
    let now = 0;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 3; i++) b.onFailure(now);
      now += 100_000;
      assert.equal(b.tryAcquire(now), true);
      b.onFailure(now);
    }
    assert.equal(b.retryInMs(now), 4_000);
  });

  it("opens on the error rate once enough requests were seen", () => {
    const b = new CircuitBreaker(config);
    let now = 0;
    for (let i = 0; i < 11; i++) {
      now += 10;
      if (i % 2 === 0) b.onFailure(now);
      else b.onSuccess(now);
    }
    assert.equal(b.state(now), "open", "6 of 11 failed, never 3 in a row");
  });

  it("old outcomes leave the window", () => {
    const b = new CircuitBreaker(config);
    for (let i = 0; i < 8; i++) b.onFailure(i * 2_000 + 1), b.onSuccess(i * 2_000 + 2);
    assert.equal(b.state(16_000), "closed", "never 10 requests inside one 10 s window with ≥ 50 % failures and 3 in a row");
  });

  it("release frees a probe slot", () => {
    const b = new CircuitBreaker(config);
    for (let i = 0; i < 3; i++) b.onFailure(0);
    assert.equal(b.tryAcquire(1_000), true);
    b.release();
    assert.equal(b.tryAcquire(1_001), true);
  });
});
