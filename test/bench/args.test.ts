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

test("--ab takes a git ref and defaults to 6 rounds of 8 s; --passes and --duration override them", () => {
  assert.equal(parseOptions([]).ab, null);
  const ab = parseOptions(["--ab", "main~3"]);
  assert.deepEqual([ab.ab, ab.passes, ab.durationMs], ["main~3", 6, 8000]);
  const custom = parseOptions(["--ab", "v0.1.0", "--passes", "4", "--duration", "5"]);
  assert.deepEqual([custom.passes, custom.durationMs], [4, 5000]);
  assert.equal(parseOptions([]).passes, 3, "the full suite keeps its 3 passes");
});
