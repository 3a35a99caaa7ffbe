import { test } from "node:test";
import assert from "node:assert/strict";
import { USAGE_LIMITS, validateUsageBatch } from "./usage-batch";
import { batch, record } from "./test-fixtures";

test("accepts a normal batch", () => {
  assert.equal(validateUsageBatch(batch()), undefined);
  assert.equal(validateUsageBatch(batch({ records: [] })), undefined);
});

test("rejects empty producer_id, seq < 1, oversize batches and bad numbers", () => {
  assert.match(validateUsageBatch(batch({ producerId: "" })) ?? "", /producer_id/);
  assert.match(validateUsageBatch(batch({ seq: 0 })) ?? "", /seq/);
  assert.match(validateUsageBatch(batch({ seq: 1.5 })) ?? "", /seq/);
  const many = Array.from({ length: USAGE_LIMITS.maxRecords + 1 }, () => record());
  assert.match(validateUsageBatch(batch({ records: many })) ?? "", /records/);
  assert.match(validateUsageBatch(batch({ records: [record({ costUsd: Number.NaN })] })) ?? "", /cost_usd/);
  assert.match(validateUsageBatch(batch({ records: [record({ model: "x".repeat(600) })] })) ?? "", /longer than/);
});
