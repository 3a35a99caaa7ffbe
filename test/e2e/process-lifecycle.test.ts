import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { freePort } from "../../bench/lib/net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadControlPlaneConfig } from "../../control-plane/src/config/load";
import { startControlPlane } from "../../control-plane/src/main";
import { AdminClient } from "../support/admin";
import { captureLogs } from "../support/log-capture";
import { runCli as run } from "../support/processes";
import { waitFor } from "../support/wait";

test("the sidecar refuses to start on the pure-JS uWebSockets.js fallback unless allowed", async () => {
  const env = { UWS_USE_FALLBACK: "1", SIDEGATE_PORT: String(await freePort()), SIDEGATE_METRICS_PORT: "0", SIDEGATE_CP_GRPC: "127.0.0.1:1" };
  const refused = run(["sidecar"], env);
  assert.equal(await refused.exit, 1);
  assert.match(refused.output(), /pure-JS fallback/);
  assert.match(refused.output(), /SIDEGATE_ALLOW_UWS_FALLBACK/);

  const allowed = run(["sidecar"], { ...env, SIDEGATE_ALLOW_UWS_FALLBACK: "true" });
  await waitFor(() => /sidecar listening/.test(allowed.output()), 10000);
  assert.match(allowed.output(), /fallback in use/);
  allowed.child.kill("SIGTERM");
  assert.equal(await allowed.exit, 0);
});

test("SIGTERM: in-flight requests finish, usage is flushed to the control plane, exit 0", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sidegate-drain-"));
  const [port, grpc, http, mock] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const demoKey = "sk-sg-draintest0123456789abcdefghijklmnopqrstuv";
  const dev = run(["dev", "--data-dir", dataDir], {
    SIDEGATE_PORT: String(port),
    SIDEGATE_CP_GRPC: `127.0.0.1:${grpc}`,
    SIDEGATE_CP_HTTP: `127.0.0.1:${http}`,
    SIDEGATE_MOCK_PORT: String(mock),
    SIDEGATE_METRICS_PORT: "0",
    SIDEGATE_DEMO_KEY: demoKey,
    SIDEGATE_USAGE_FLUSH_MS: "5000", // nothing is flushed by the timer during this test: only the drain flushes
  });
  try {
    await waitFor(() => dev.output().includes(demoKey), 20000);
    const call = (content: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${demoKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "mock-echo", messages: [{ role: "user", content }] }),
      });
    const quick = await call("first");
    assert.equal(quick.status, 200);
    const slow = call("[mock:latency=800] second");
    await new Promise((r) => setTimeout(r, 200));
    dev.child.kill("SIGTERM");
    const res = await slow;
    assert.equal(res.status, 200, "the in-flight request completes during the drain");
    assert.equal(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content, "echo: second");
    assert.equal(await dev.exit, 0, dev.output().slice(-2000));
  } catch (err) {
    dev.child.kill("SIGKILL");
    throw err;
  }

  // The usage of both requests is in the store the control plane left behind.
  const adminToken = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
  const cp = await startControlPlane(
    loadControlPlaneConfig({
      SIDEGATE_DATA_DIR: dataDir,
      SIDEGATE_CP_GRPC: "127.0.0.1:0",
      SIDEGATE_CP_HTTP: "127.0.0.1:0",
      SIDEGATE_ADMIN_TOKEN: adminToken,
      SIDEGATE_SIDECAR_TOKEN: readFileSync(join(dataDir, "sidecar-token"), "utf8").trim(),
      SIDEGATE_MASTER_KEY_FILE: join(dataDir, "master.key"),
    }),
    { logger: captureLogs("warn").logger },
  );
  try {
    const usage = (await new AdminClient(cp.httpUrl, adminToken).ok("GET", "/api/v1/usage")) as { data: { requests: number }[] };
    assert.equal(usage.data[0]?.requests, 2);
  } finally {
    await cp.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
