import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RetryBudget } from "./retry-budget";

describe("RetryBudget", () => {
  it("allows ratio × first attempts plus the floor within the window", () => {
    const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 1, windowMs: 10_000 });
    for (let i = 0; i < 100; i++) budget.recordFirstAttempt(1_000 + i);
    let granted = 0;
    while (budget.tryWithdraw(2_000)) granted++;
    assert.equal(granted, 30, "20 % of 100 + 1/s × 10 s");
  });

  it("refills as the window slides", () => {
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 1, windowMs: 10_000 });
    let granted = 0;
    while (budget.tryWithdraw(1)) granted++;
    assert.equal(granted, 10);
    assert.equal(budget.tryWithdraw(5_000), false);
    assert.equal(budget.tryWithdraw(12_000), true);
  });
});
