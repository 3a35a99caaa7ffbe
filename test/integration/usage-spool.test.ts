import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SidecarHandle } from "../../sidecar/src/main";
import { metricSum, spooledRecords } from "../support/spool";
import { startStack, type Stack } from "../support/stack";
import { chat } from "../support/traffic";
import { waitFor } from "../support/wait";

async function totalRequests(stack: Stack): Promise<number> {
  const body = (await stack.admin.ok("GET", "/api/v1/usage")) as { data: { requests: number }[] };
  return body.data[0]?.requests ?? 0;
}

/** `gapMs` longer than the flush interval puts each request in a batch of its own. */
async function sendOk(sidecar: SidecarHandle, key: string, n: number, gapMs = 0): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await chat(sidecar.port, key, `spool ${i}`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
}

const sidecarMetrics = async (sc: SidecarHandle): Promise<string> => (await fetch(`http://127.0.0.1:${sc.metricsPort}/metrics`)).text();

describe("usage spool", () => {
  let stack: Stack;
  const dirs: string[] = [];
  const dataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "sidegate-spool-it-"));
    dirs.push(dir);
    return dir;
  };
  before(async () => {
    stack = await startStack({ proxyControlPlane: true, logLevel: "info" });
  });
  after(async () => {
    await stack.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test("beyond the memory window batches wait in the spool and are delivered in order, exactly once", async () => {
    const proxy = stack.grpcProxy;
    assert.ok(proxy);
    const dir = dataDir();
    const sc = await stack.startSidecar({ SIDEGATE_DATA_DIR: dir, SIDEGATE_USAGE_MAX_QUEUED_BATCHES: "2", SIDEGATE_METRICS_PORT: "-1" });
    const before = await totalRequests(stack);
    proxy.blackholeDownstream(); // the control plane stores what arrives, but no ack gets back
    try {
      await sendOk(sc, stack.demoKey, 12, 40); // flush every 20 ms: 12 batches
      await waitFor(() => spooledRecords(dir) >= 12, 5000);
      assert.ok(metricSum(await sidecarMetrics(sc), "sidegate_sidecar_usage_unacked_batches") > 2, "more unacked batches than the memory window");
    } finally {
      proxy.restore();
    }
    proxy.cutAll(); // reconnect: the resident window is re-sent (duplicates), then the spilled batches follow
    await waitFor(async () => (await totalRequests(stack)) === before + 12, 10_000, 25);
    await waitFor(async () => metricSum(await sidecarMetrics(sc), "sidegate_sidecar_usage_unacked_batches") === 0, 5000);
    assert.equal(await totalRequests(stack), before + 12, "nothing doubled");
    const cp = await (await fetch(`${stack.cp.httpUrl}/metrics`)).text();
    assert.ok(metricSum(cp, "sidegate_cp_usage_batches_duplicate_total") > 0, "re-sent batches were recognised as duplicates");
  });

  test("a client-chosen 600-character model name is accounted truncated and does not block later usage", async () => {
    const before = await totalRequests(stack);
    const res = await fetch(`${stack.sidecar.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.demoKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "m".repeat(600), messages: [{ role: "user", content: "x" }] }),
    });
    assert.equal(res.status, 404);
    await res.arrayBuffer();
    await sendOk(stack.sidecar, stack.demoKey, 1);
    await waitFor(async () => (await totalRequests(stack)) === before + 2, 5000, 25);
    const records = (await stack.admin.ok("GET", "/api/v1/usage/records?limit=5")) as { data: { model: string }[] };
    assert.ok(records.data.some((r) => r.model === "m".repeat(512)));
  });

  test("a full spool drops the newest batch, counts it and says so loudly", async () => {
    const proxy = stack.grpcProxy;
    assert.ok(proxy);
    const sc = await stack.startSidecar({ SIDEGATE_DATA_DIR: dataDir(), SIDEGATE_SPOOL_MAX_BYTES: "4096", SIDEGATE_METRICS_PORT: "-1" });
    const before = await totalRequests(stack);
    proxy.blackholeDownstream();
    try {
      await sendOk(sc, stack.demoKey, 40);
      await waitFor(async () => metricSum(await sidecarMetrics(sc), "sidegate_sidecar_usage_dropped_records_total") > 0, 5000);
      assert.match(stack.sidecarLogs.text(), /usage spool full; dropping the newest usage batch/);
    } finally {
      proxy.restore();
    }
    proxy.cutAll();
    await waitFor(async () => metricSum(await sidecarMetrics(sc), "sidegate_sidecar_usage_unacked_batches") === 0, 10_000, 25);
    const dropped = metricSum(await sidecarMetrics(sc), "sidegate_sidecar_usage_dropped_records_total");
    assert.equal(await totalRequests(stack), before + 40 - dropped, "everything not dropped arrived, once");
  });
});
