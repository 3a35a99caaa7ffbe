/**
 * Under sustained load with a slow control plane some usage batch is always unacknowledged, so the spool
 * never empties: it must still shed the batches that were acknowledged (rewrite), and lose nothing.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadSidecarConfig } from "../../sidecar/src/config/load";
import { startSidecar, type SidecarHandle } from "../../sidecar/src/main";
import { SPOOL_FILE } from "../../sidecar/src/usage/spool";
import { captureLogs } from "../support/log-capture";
import type { FakeControlPlane } from "../fakes/fake-control-plane";
import { sendUnrouted, unroutedControlPlane } from "../support/unrouted";

const TOKEN = "sidecar-token-spool-rewrite";
const KEY = "sk-sg-spool-rewrite-key-0000000000000000000";
const logs = captureLogs("info");
const dataDir = mkdtempSync(join(tmpdir(), "sidegate-spool-rewrite-"));
let cp: FakeControlPlane;
let sidecar: SidecarHandle;

before(async () => {
  cp = await unroutedControlPlane(TOKEN, KEY);
  cp.ackDelayMs = 60;
  const config = loadSidecarConfig({}, {
    port: 0, metricsPort: 0, controlPlaneTarget: `127.0.0.1:${cp.port}`, sidecarToken: TOKEN, sidecarId: "spool-rewrite",
    usageFlushMs: 10, reconnectMinMs: 20, reconnectMaxMs: 100, dataDir, spoolRewriteAtBytes: 16 * 1024,
  });
  sidecar = await startSidecar(config, { logger: logs.logger });
  await sidecar.waitReady(5000);
});

after(async () => {
  await sidecar.close({ deadlineMs: 2000 });
  await cp.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const send = (requestId: string): Promise<void> => sendUnrouted(sidecar.url, KEY, requestId);

test("the spool stays small while batches are always in flight, and every record arrives exactly once", { timeout: 30_000 }, async () => {
  const spoolPath = join(dataDir, SPOOL_FILE);
  let sent = 0;
  let largest = 0;
  const until = Date.now() + 3500;
  while (Date.now() < until) {
    await Promise.all(Array.from({ length: 8 }, () => send(`r-${++sent}`)));
    largest = Math.max(largest, statSync(spoolPath).size);
  }
  const spooled = cp.batches.reduce((n, b) => n + b.records.length, 0);
  const final = statSync(spoolPath).size;
  // Without a rewrite the file holds every batch cut so far (~100 bytes a record); with it, far less.
  assert.ok(sent * 100 > 4 * 16 * 1024, `enough load to need a rewrite (${sent} requests)`);
  assert.ok(final < (sent * 100) / 2, `spool ${final} bytes after ${sent} requests (largest ${largest}, ${spooled} records sent)`);
  assert.doesNotMatch(logs.text(), /rewrite failed|dropped/);
  await cp.waitFor(() => cp.records.length === sent, 10_000);
  const ids = cp.records.map((r) => r.request_id);
  assert.equal(new Set(ids).size, sent, "every request accounted once");
});
