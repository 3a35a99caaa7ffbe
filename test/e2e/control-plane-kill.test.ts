import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts, waitForHttp } from "../../bench/lib/net";
import { startMockProvider } from "../../mock-provider/src/server";
import { AdminClient } from "../support/admin";
import { controlPlaneProcessOptions, killHard, startControlPlaneProcess, startSidecarProcess, type CliProcess } from "../support/processes";
import { seedMockRoute } from "../support/seed";
import { startTraffic } from "../support/traffic";
import { waitFor } from "../support/wait";

interface UsageRow {
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
}

test("control plane SIGKILLed while 3 sidecars serve: traffic continues; after restart it holds exactly the usage served", async () => {
  const root = mkdtempSync(join(tmpdir(), "sidegate-cpkill-"));
  const mock = await startMockProvider({ port: 0 });
  const [grpcPort = 0, httpPort = 0, ...ports] = await freePorts(5);
  const cpOptions = controlPlaneProcessOptions(join(root, "cp"), [grpcPort, httpPort]);
  const snapshotKey = randomBytes(32).toString("base64");
  const procs: CliProcess[] = [];
  try {
    let cp = await startControlPlaneProcess(cpOptions);
    procs.push(cp);
    const admin = new AdminClient(`http://127.0.0.1:${cpOptions.httpPort}`, cpOptions.adminToken);
    const key = await seedMockRoute(admin, mock.baseUrl);
    const sidecars = await Promise.all(
      ports.map((port, i) =>
        startSidecarProcess({
          id: `kill-cp-sidecar-${i + 1}`, port, grpcPort: cpOptions.grpcPort, sidecarToken: cpOptions.sidecarToken,
          dataDir: join(root, `sidecar-${i + 1}`), snapshotKey,
        }),
      ),
    );
    procs.push(...sidecars);
    await Promise.all(ports.map((port, i) => waitForHttp(`http://127.0.0.1:${port}/readyz`, 10_000, sidecars[i]?.alive)));

    const traffic = startTraffic(ports, key, 2);
    await waitFor(() => traffic.ok() >= 60, 15_000);
    await killHard(cp);
    const atKill = traffic.ok();
    await waitFor(() => traffic.ok() >= atKill + 90, 15_000); // served with the control plane gone
    cp = await startControlPlaneProcess(cpOptions);
    procs.push(cp);
    const atRestart = traffic.ok();
    await waitFor(() => traffic.ok() >= atRestart + 60, 15_000);
    const result = await traffic.stop();
    assert.equal(result.failed, 0, `every request succeeded: ${JSON.stringify(result.statuses)}`);

    const served = mock.stats();
    assert.equal(served.requests.total, result.ok, "the mock served each request once");
    // SIGTERM: each sidecar flushes and waits for the acks before it exits 0, so no replay can land later.
    for (const sc of sidecars) {
      sc.child.kill("SIGTERM");
      assert.equal(await sc.exit, 0, sc.output().slice(-2000));
    }
    const row = ((await admin.ok("GET", "/api/v1/usage")) as { data: UsageRow[] }).data[0];
    assert.ok(row !== undefined);
    assert.equal(row.requests, served.requests.total);
    assert.equal(row.prompt_tokens, served.usage.prompt_tokens);
    assert.equal(row.completion_tokens, served.usage.completion_tokens);
    cp.child.kill("SIGTERM");
    assert.equal(await cp.exit, 0, "the control plane drains and exits 0 on SIGTERM");
  } finally {
    for (const p of procs) await killHard(p);
    await mock.close();
    rmSync(root, { recursive: true, force: true });
  }
});
