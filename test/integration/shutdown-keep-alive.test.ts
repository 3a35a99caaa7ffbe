/**
 * Graceful shutdown seen from a client holding a kept-alive connection: once in-flight work is done the
 * sidecar still flushes usage (here: for as long as its deadline allows, the control plane being gone), and
 * a request arriving on the old connection in that window gets 503 not_ready with `connection: close` —
 * never a hang, never a reset.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "undici";
import { startStack } from "../support/stack";

test("during the usage flush a request on a kept-alive connection gets 503 not_ready and the connection closes", async () => {
  const stack = await startStack({ sidecarEnv: { SIDEGATE_USAGE_FLUSH_MS: "60000" } });
  const client = new Client(stack.sidecar.url, { pipelining: 1 });
  let connects = 0;
  client.on("connect", () => connects++);
  const call = () =>
    client.request({
      method: "POST",
      path: "/v1/chat/completions",
      headers: { authorization: `Bearer ${stack.demoKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "mock-echo", messages: [{ role: "user", content: "hello" }] }),
    });
  try {
    const first = await call();
    assert.equal(first.statusCode, 200);
    await first.body.text();

    await stack.cp.close(); // the flush now waits out the deadline: the window under test
    const closing = stack.sidecar.close({ deadlineMs: 1500 });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(stack.sidecar.isReady(), false);

    const late = await call();
    assert.equal(late.statusCode, 503);
    assert.equal(late.headers["connection"], "close");
    const body = (await late.body.json()) as { error: { code: string; type: string } };
    assert.equal(body.error.code, "not_ready");
    assert.equal(body.error.type, "server_error");
    assert.equal(connects, 1, "both answers came over the kept-alive connection");
    await closing;
  } finally {
    await client.close().catch(() => undefined);
    await stack.close();
  }
});
