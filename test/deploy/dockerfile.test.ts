/** The image starts each role with the Node flags the benchmark measures (so published figures are the image's). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NODE_FLAGS } from "../../cli/node-flags";

const ROOT = join(__dirname, "../../..");
const SCRIPT = join(ROOT, "deploy/docker/entrypoint.sh");

/** Runs the entrypoint with a `node` on PATH that prints the argv it was given, one argument per line. */
function entrypointArgv(args: readonly string[]): string[] {
  const bin = mkdtempSync(join(tmpdir(), "sidegate-entrypoint-"));
  try {
    const fake = join(bin, "node");
    writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
    chmodSync(fake, 0o755);
    const out = execFileSync("/bin/sh", [SCRIPT, ...args], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: "utf8" });
    return out.split("\n").slice(0, -1);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

test("the Dockerfile copies the entrypoint script and runs it, sidecar by default", () => {
  const lines = readFileSync(join(ROOT, "deploy/docker/Dockerfile"), "utf8").split("\n");
  const entry = lines.find((l) => l.startsWith("ENTRYPOINT "));
  const cmd = lines.find((l) => l.startsWith("CMD "));
  assert.ok(entry !== undefined && cmd !== undefined, "ENTRYPOINT and CMD lines");
  assert.deepEqual(JSON.parse(entry.slice("ENTRYPOINT ".length)), ["/bin/sh", "/app/entrypoint.sh"]);
  assert.deepEqual(JSON.parse(cmd.slice("CMD ".length)), ["sidecar"]);
  assert.ok(lines.includes("COPY deploy/docker/entrypoint.sh ./entrypoint.sh"), "the script is copied to /app");
});

test("the entrypoint gives the sidecar its flags and passes the arguments through", () => {
  assert.deepEqual(entrypointArgv(["sidecar"]), [...NODE_FLAGS.sidecar, "dist/cli/sidegate.js", "sidecar"]);
  assert.deepEqual(entrypointArgv(["sidecar", "--help"]), [...NODE_FLAGS.sidecar, "dist/cli/sidegate.js", "sidecar", "--help"]);
});

test("the entrypoint gives the control plane, and every other command, the control plane's flags", () => {
  const cp = [...NODE_FLAGS["control-plane"], "dist/cli/sidegate.js"];
  assert.deepEqual(entrypointArgv(["control-plane"]), [...cp, "control-plane"]);
  assert.deepEqual(entrypointArgv(["keys", "list", "--team", "a b"]), [...cp, "keys", "list", "--team", "a b"]);
  assert.deepEqual(entrypointArgv([]), cp);
});

test("the sidecar runs its GC on the main thread only; the control plane keeps V8's helper threads", () => {
  assert.ok(NODE_FLAGS.sidecar.includes("--single-threaded-gc"));
  assert.ok(!NODE_FLAGS["control-plane"].includes("--single-threaded-gc"));
});
