import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashKeySecret } from "../domain/keys";
import { loadBootstrapFile } from "./bootstrap-file";

const ROOT = join(__dirname, "../../../..");
const EXAMPLE = join(ROOT, "deploy/config/bootstrap.example.yaml");

test("the shipped example file is the README's and loads, resolving its references", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const body = readFileSync(EXAMPLE, "utf8").split("\n").filter((l) => !l.startsWith("#")).join("\n");
  assert.ok(readme.includes(body.trim()), "README config-as-code example matches deploy/config/bootstrap.example.yaml");
  const secret = "sk-sg-example-0123456789abcdefghij";
  // The example's pre-hashed key holds a placeholder; everything else resolves from the environment.
  const text = readFileSync(EXAMPLE, "utf8").replace(/sha256:<64 hex digits of SHA-256\(secret\)>/, `sha256:${"a".repeat(64)}`);
  const dir = mkdtempSync(join(tmpdir(), "sidegate-bootstrap-example-"));
  const tmp = join(dir, "bootstrap.yaml");
  writeFileSync(tmp, text);
  try {
    const plan = loadBootstrapFile(tmp, { OPENAI_API_KEY: "sk-upstream-example", CHECKOUT_KEY: secret });
    assert.deepEqual(plan.file.teams.map((t) => t.id), ["payments"]);
    assert.equal(plan.keys[0]?.hash.equals(hashKeySecret(secret)), true);
    assert.equal(plan.keys[0]?.display, `sk-sg-…${secret.slice(-4)}`);
    assert.deepEqual(plan.providers[0]?.secrets, { api_key: "sk-upstream-example" });
    assert.equal(plan.file.budgets[0]?.limit_usd, 500);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
