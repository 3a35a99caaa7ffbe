import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadControlPlaneConfig } from "../../control-plane/src/config/load";
import { startControlPlane } from "../../control-plane/src/main";
import { loadSidecarConfig } from "../../sidecar/src/config/load";
import { startSidecar } from "../../sidecar/src/main";
import { AdminClient } from "../support/admin";
import { captureLogs } from "../support/log-capture";
import { hasOpenssl, makePki } from "../support/pki";

test("a sidecar gets its policy from a control plane that requires mTLS", { skip: !hasOpenssl() && "openssl not available" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "sidegate-mtls-"));
  makePki(dir);
  const pem = (name: string): string => join(dir, name);
  const sidecarToken = "sct-" + randomBytes(16).toString("hex");
  const adminToken = "adm-" + randomBytes(16).toString("hex");
  const cp = await startControlPlane(
    loadControlPlaneConfig({
      SIDEGATE_DATA_DIR: join(dir, "data"),
      SIDEGATE_CP_GRPC: "127.0.0.1:0",
      SIDEGATE_CP_HTTP: "127.0.0.1:0",
      SIDEGATE_ADMIN_TOKEN: adminToken,
      SIDEGATE_SIDECAR_TOKEN: sidecarToken,
      SIDEGATE_MASTER_KEY: randomBytes(32).toString("base64"),
      SIDEGATE_CP_TLS_CERT: pem("server.pem"),
      SIDEGATE_CP_TLS_KEY: pem("server.key"),
      SIDEGATE_CP_TLS_CLIENT_CA: pem("ca.pem"),
    }),
    { logger: captureLogs("warn").logger },
  );
  const admin = new AdminClient(cp.httpUrl, adminToken);
  await admin.ok("PUT", "/api/v1/teams/t", { name: "T" });
  const { key } = (await admin.ok("POST", "/api/v1/keys", { team_id: "t" })) as { key: string };
  const base = {
    SIDEGATE_PORT: "0",
    SIDEGATE_CP_GRPC: cp.grpcAddress,
    SIDEGATE_SIDECAR_TOKEN: sidecarToken,
    SIDEGATE_METRICS_PORT: "0",
    SIDEGATE_CP_TLS_CA: pem("ca.pem"),
  };
  const withCert = await startSidecar(
    loadSidecarConfig({ ...base, SIDEGATE_CP_TLS_CERT: pem("client.pem"), SIDEGATE_CP_TLS_KEY: pem("client.key") }),
    { logger: captureLogs("warn").logger },
  );
  const withoutCert = await startSidecar(loadSidecarConfig(base), { logger: captureLogs("silent").logger });
  try {
    await withCert.waitReady(5000);
    const res = await fetch(`${withCert.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    // Without a client certificate the handshake fails: the sidecar never becomes ready.
    await assert.rejects(withoutCert.waitReady(1500));
    const ready = await fetch(`${withoutCert.url}/readyz`);
    assert.equal(ready.status, 503);
  } finally {
    await withCert.close({ deadlineMs: 1000 });
    await withoutCert.close({ deadlineMs: 1000 });
    await cp.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
