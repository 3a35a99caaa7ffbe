import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureSecretFile, generate, resolveDevSecrets } from "./secrets";

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "sidegate-secrets-"));
}

test("generated secrets are persisted with mode 0600 and reused", () => {
  const dir = join(tmp(), "nested", ".sidegate");
  try {
    const a = resolveDevSecrets(dir, {});
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const f of ["master.key", "admin-token", "sidecar-token", "demo-key"]) {
      assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
    }
    assert.equal(Buffer.from(readFileSync(join(dir, "master.key"), "utf8").trim(), "base64").length, 32);
    assert.match(a.demoKey, /^sk-sg-[A-Za-z0-9_-]{43}$/);
    assert.ok(a.adminToken.length >= 16 && a.sidecarToken.length >= 16);
    assert.equal(a.adminTokenSource, join(dir, "admin-token"));
    assert.equal(a.cpEnv.SIDEGATE_MASTER_KEY_FILE, join(dir, "master.key"));
    assert.equal(a.cpEnv.SIDEGATE_ADMIN_TOKEN, a.adminToken);
    assert.equal(a.cpEnv.SIDEGATE_SIDECAR_TOKENS, a.sidecarToken);
    assert.equal(a.sidecarEnv.SIDEGATE_SIDECAR_TOKEN, a.sidecarToken);
    const b = resolveDevSecrets(dir, {});
    assert.deepEqual(b, a);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("values from the environment win and are not written", () => {
  const dir = tmp();
  try {
    const s = resolveDevSecrets(dir, {
      SIDEGATE_ADMIN_TOKEN: "env-admin-token-123456",
      SIDEGATE_DEMO_KEY: "sk-sg-env-demo-key-0123456789",
      SIDEGATE_MASTER_KEY: generate.masterKey(),
      SIDEGATE_SIDECAR_TOKENS: "other-token-0123456789",
    });
    assert.equal(s.adminToken, "env-admin-token-123456");
    assert.equal(s.adminTokenSource, "$SIDEGATE_ADMIN_TOKEN");
    assert.equal(s.demoKey, "sk-sg-env-demo-key-0123456789");
    assert.equal(s.cpEnv.SIDEGATE_MASTER_KEY_FILE, undefined);
    assert.deepEqual(s.cpEnv.SIDEGATE_SIDECAR_TOKENS?.split(","), [s.sidecarToken, "other-token-0123456789"]);
    assert.throws(() => statSync(join(dir, "admin-token")));
    assert.throws(() => statSync(join(dir, "demo-key")));
    assert.throws(() => statSync(join(dir, "master.key")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("ensureSecretFile tightens loose permissions and regenerates empty files", () => {
  const dir = tmp();
  try {
    const p = join(dir, "admin-token");
    writeFileSync(p, "kept-value\n");
    chmodSync(p, 0o644);
    const kept = ensureSecretFile(dir, "admin-token", () => "new");
    assert.deepEqual([kept.value, kept.created], ["kept-value", false]);
    assert.equal(statSync(p).mode & 0o777, 0o600);
    writeFileSync(p, "\n");
    const regen = ensureSecretFile(dir, "admin-token", () => "fresh");
    assert.deepEqual([regen.value, regen.created], ["fresh", true]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
