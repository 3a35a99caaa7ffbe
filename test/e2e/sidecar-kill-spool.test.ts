import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts, waitForHttp } from "../../bench/lib/net";
import { startMockProvider } from "../../mock-provider/src/server";
import { SNAPSHOT_FILE } from "../../sidecar/src/policy/snapshot-file";
import { AdminClient } from "../support/admin";
import { controlPlaneProcessOptions, killHard, startControlPlaneProcess, startSidecarProcess, type CliProcess } from "../support/processes";
import { seedMockRoute } from "../support/seed";
import { spooledRecords } from "../support/spool";
import { chat } from "../support/traffic";
import { waitFor } from "../support/wait";

/** `n` chat requests one after another, with request ids `<tag>-<i>` (what the usage records carry). */
async function sendOk(port: number, key: string, n: number, tag: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await chat(port, key, `${tag} ${i}`, { "x-request-id": `${tag}-${i}` });
    const text = await res.text();
    assert.equal(res.status, 200, text);
  }
}

test("sidecar SIGKILLed with unacknowledged usage, restarted on the same data dir while the control plane is down: serves from its snapshot, then nothing is lost or doubled", async () => {
  const root = mkdtempSync(join(tmpdir(), "sidegate-sckill-"));
  const mock = await startMockProvider({ port: 0 });
  const [grpcPort = 0, httpPort = 0, port = 0] = await freePorts(3);
  const cpOptions = controlPlaneProcessOptions(join(root, "cp"), [grpcPort, httpPort]);
  const sidecarDir = join(root, "sidecar");
  const sidecarOptions = {
    id: "spool-sidecar", port, grpcPort: cpOptions.grpcPort, sidecarToken: cpOptions.sidecarToken,
    dataDir: sidecarDir, snapshotKey: randomBytes(32).toString("base64"),
  };
  const procs: CliProcess[] = [];
  const admin = new AdminClient(`http://127.0.0.1:${cpOptions.httpPort}`, cpOptions.adminToken);
  const usageRequests = async (): Promise<number> => ((await admin.ok("GET", "/api/v1/usage")) as { data: { requests: number }[] }).data[0]?.requests ?? 0;
  try {
    let cp = await startControlPlaneProcess(cpOptions);
    procs.push(cp);
    const key = await seedMockRoute(admin, mock.baseUrl);
    let sc = await startSidecarProcess(sidecarOptions);
    procs.push(sc);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, 10_000, sc.alive);

    await sendOk(port, key, 5, "acked");
    await waitFor(async () => (await usageRequests()) === 5, 10_000, 25);

    await killHard(cp); // from here nothing can be acknowledged
    await sendOk(port, key, 7, "unacked");
    // Counted by request id: the already acknowledged batches may still be in the file (compaction pending).
    await waitFor(() => spooledRecords(sidecarDir, "unacked-") === 7, 10_000, 20);
    await killHard(sc); // unacknowledged usage is only in the spool now

    sc = await startSidecarProcess(sidecarOptions);
    procs.push(sc);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, 10_000, sc.alive);
    const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as Record<string, unknown>;
    assert.equal(ready["status"], "ready");
    assert.equal(ready["control_plane_connected"], false);
    assert.ok((ready["policy_staleness_seconds"] as number) >= 0);
    assert.match(sc.output(), /policy restored from the persisted snapshot/);
    await sendOk(port, key, 4, "restarted-without-cp");

    cp = await startControlPlaneProcess(cpOptions);
    procs.push(cp);
    await waitFor(async () => (await usageRequests()) >= 16, 15_000, 25);
    sc.child.kill("SIGTERM"); // drains: waits for every ack before exiting 0
    assert.equal(await sc.exit, 0, sc.output().slice(-2000));
    assert.equal(mock.stats().requests.total, 16);
    assert.equal(await usageRequests(), 16, "exactly the served requests: nothing lost, nothing doubled");
    assert.equal(spooledRecords(sidecarDir), 0, "the spool is compacted once everything is acknowledged");
  } finally {
    for (const p of procs) await killHard(p);
    await mock.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test("without a snapshot key the sidecar says it does not persist the policy", async () => {
  const root = mkdtempSync(join(tmpdir(), "sidegate-nokey-"));
  const [port = 0, deadCp = 0] = await freePorts(2);
  try {
    const sc = await startSidecarProcess({
      id: "no-key", port, grpcPort: deadCp, sidecarToken: "t", dataDir: root, snapshotKey: "",
    });
    try {
      assert.match(sc.output(), /SIDEGATE_SNAPSHOT_KEY .*not set: the policy snapshot is not persisted/);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { reason: string }).reason, "no_policy_snapshot");
    } finally {
      await killHard(sc);
    }
    assert.ok(!existsSync(join(root, SNAPSHOT_FILE)));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
