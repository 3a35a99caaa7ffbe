import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ControlPlaneConfig } from "./config/load";
import { startControlPlane } from "./main";
import { createLogger } from "./telemetry/logger";

const config = (dataDir: string, masterKey: Buffer): ControlPlaneConfig => ({
  dataDir, grpcHost: "127.0.0.1", grpcPort: 0, httpHost: "127.0.0.1", httpPort: 0,
  adminToken: "admin-token-0123456789", sidecarTokens: ["sidecar-token-0123456789"], masterKey, logLevel: "silent",
});
const deps = { logger: createLogger("silent"), closeDeadlineMs: 500 };

test("state and policy version survive a restart; a different master key refuses to start", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sidegate-main-"));
  const key = randomBytes(32);
  try {
    const a = await startControlPlane(config(dir, key), deps);
    assert.match(a.grpcAddress, /^127\.0\.0\.1:\d+$/);
    assert.equal(a.httpUrl, `http://127.0.0.1:${a.httpPort}`);
    const res = await fetch(`${a.httpUrl}/api/v1/providers/c1`, {
      method: "PUT",
      headers: { authorization: "Bearer admin-token-0123456789", "content-type": "application/json" },
      body: JSON.stringify({ provider: "openai", secrets: { api_key: "sk-test-restart" } }),
    });
    assert.equal(res.status, 201);
    const version = await a.store.policyVersion();
    await a.close();
    await a.close(); // idempotent

    const b = await startControlPlane(config(dir, key), deps);
    assert.equal(await b.store.policyVersion(), version);
    assert.deepEqual((await b.store.listCredentials()).map((c) => c.id), ["c1"]);
    await b.close();

    await assert.rejects(startControlPlane(config(dir, randomBytes(32)), deps), /wrong master key/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a config object is checked before anything starts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sidegate-main-"));
  await assert.rejects(startControlPlane({ ...config(dir, Buffer.alloc(16)), sidecarTokens: [] }, deps), (err: unknown) => {
    assert.match(String(err), /masterKey: expected 32 bytes/);
    assert.match(String(err), /sidecarTokens: at least one/);
    return true;
  });
  rmSync(dir, { recursive: true, force: true });
});
