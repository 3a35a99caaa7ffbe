/** The image runs node with the flags the benchmark measures (so published figures are the image's). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NODE_FLAGS } from "../../bench/targets/sidegate";

const ROOT = join(__dirname, "../../..");

test("the Dockerfile ENTRYPOINT runs node with the benchmark's flags, then the CLI", () => {
  const dockerfile = readFileSync(join(ROOT, "deploy/docker/Dockerfile"), "utf8");
  const line = dockerfile.split("\n").find((l) => l.startsWith("ENTRYPOINT "));
  assert.ok(line !== undefined, "an ENTRYPOINT line");
  const argv = JSON.parse(line.slice("ENTRYPOINT ".length)) as string[];
  assert.deepEqual(argv, ["node", ...NODE_FLAGS, "dist/cli/sidegate.js"]);
});
