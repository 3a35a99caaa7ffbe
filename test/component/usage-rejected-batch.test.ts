/** A usage batch the control plane rejects as invalid must not wedge the Report stream (re-sent forever). */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import type { PolicySnapshot } from "../../proto";
import { loadSidecarConfig } from "../../sidecar/src/config/load";
import { startSidecar, type SidecarHandle } from "../../sidecar/src/main";
import { captureLogs } from "../support/log-capture";
import { FakeControlPlane } from "../fakes/fake-control-plane";

const TOKEN = "sidecar-token-rejected-batch";
const KEY = "sk-sg-rejected-batch-key-000000000000000000";
const logs = captureLogs("info");
let cp: FakeControlPlane;
let sidecar: SidecarHandle;

// One key and no routes: every request is answered 404 model_not_found, and still accounted.
const SNAPSHOT = {
  teams: [{ id: "t", name: "T", allowed_models: [], metadata: {} }],
  keys: [{ id: "k", hash: createHash("sha256").update(KEY).digest(), team_id: "t", user_id: "", project_id: "", allowed_models: [], expires_at_ms: 0, metadata: {}, display: "k" }],
  routes: [], deployments: [], credentials: [], prices: [], price_catalog_version: "test",
} as unknown as PolicySnapshot;

before(async () => {
  cp = new FakeControlPlane(TOKEN);
  await cp.start();
  cp.publish(1, SNAPSHOT);
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

async function send(requestId: string): Promise<void> {
  const res = await fetch(`${sidecar.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({ model: "unrouted", messages: [{ role: "user", content: "x" }] }),
  });
  assert.equal(res.status, 404);
  await res.arrayBuffer();
}

test("the rejected batch is set aside once and later usage still arrives", async () => {
  cp.rejectSeq = 1;
  await send("poison-1");
  await cp.waitFor(() => logs.text().includes("rejected by the control plane as invalid"));
  await send("after-2");
  await cp.waitFor(() => cp.records.some((r) => r.request_id === "after-2"));
  assert.equal(cp.batches.filter((b) => b.seq === 1).length, 1, "the rejected batch was not re-sent");
  assert.ok(!cp.records.some((r) => r.request_id === "poison-1"));
});
