import assert from "node:assert/strict";
import { test } from "node:test";
import { parseOptions } from "../../bench/lib/args";

test("every proxy is warmed for 5 s after start (the soak's too), not in --quick, and the flag overrides it", () => {
  assert.equal(parseOptions([]).startWarmupMs, 5000);
  assert.equal(parseOptions(["--quick"]).startWarmupMs, 0);
  assert.equal(parseOptions(["--soak"]).startWarmupMs, 5000);
  assert.equal(parseOptions(["--start-warmup", "12"]).startWarmupMs, 12_000);
  assert.equal(parseOptions(["--start-warmup", "0"]).startWarmupMs, 0);
  assert.throws(() => parseOptions(["--start-warmup", "soon"]));
  assert.throws(() => parseOptions(["--start-warmup", "-1"]));
});
