/** The harness collects its own heap between load points only when node exposes gc (npm run bench does). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const MODULE = join(__dirname, "../../bench/lib/generator-gc.js");
const probe = `const { collectGeneratorGarbage } = require(${JSON.stringify(MODULE)}); process.stdout.write(String(collectGeneratorGarbage()));`;

test("with --expose-gc the generator's heap is collected; without it nothing happens", () => {
  assert.equal(execFileSync(process.execPath, ["--expose-gc", "-e", probe], { encoding: "utf8" }), "true");
  assert.equal(execFileSync(process.execPath, ["-e", probe], { encoding: "utf8" }), "false");
});

test("npm run bench starts the benchmark with --expose-gc", () => {
  const pkg = require(join(__dirname, "../../../package.json")) as { scripts: Record<string, string> };
  assert.match(pkg.scripts["bench"] ?? "", /node --expose-gc dist\/bench\/run\.js/);
});
