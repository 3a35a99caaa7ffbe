/** A usage batch the control plane rejects as invalid must not wedge the Report stream (re-sent forever). */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadSidecarConfig } from "../../sidecar/src/config/load";
import { startSidecar, type SidecarHandle } from "../../sidecar/src/main";
import { captureLogs } from "../support/log-capture";
import type { FakeControlPlane } from "../fakes/fake-control-plane";
import { sendUnrouted, unroutedControlPlane } from "../support/unrouted";

const TOKEN = "sidecar-token-rejected-batch";
const KEY = "sk-sg-rejected-batch-key-000000000000000000";
const logs = captureLogs("info");
let cp: FakeControlPlane;
let sidecar: SidecarHandle;

before(async () => {
  cp = await unroutedControlPlane(TOKEN, KEY);
  const config = loadSidecarConfig({}, {
    port: 0, metricsPort: 0, controlPlaneTarget: `127.0.0.1:${cp.port}`, sidecarToken: TOKEN, sidecarId: "rejected-batch",
    usageFlushMs: 20, reconnectMinMs: 20, reconnectMaxMs: 100,
  });
  sidecar = await startSidecar(config, { logger: logs.logger });
  await sidecar.waitReady(5000);
});

after(async () => {
  await sidecar.close({ deadlineMs: 1000 });
  await cp.stop();
});

const send = (requestId: string): Promise<void> => sendUnrouted(sidecar.url, KEY, requestId);

test("the rejected batch is set aside once and later usage still arrives", async () => {
  cp.rejectSeq = 1;
  await send("poison-1");
  await cp.waitFor(() => logs.text().includes("rejected by the control plane as invalid"));
  await send("after-2");
  await cp.waitFor(() => cp.records.some((r) => r.request_id === "after-2"));
  assert.equal(cp.batches.filter((b) => b.seq === 1).length, 1, "the rejected batch was not re-sent");
  assert.ok(!cp.records.some((r) => r.request_id === "poison-1"));
});
