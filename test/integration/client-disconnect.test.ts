import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

describe("client disconnect mid-stream", () => {
  let stack: Stack;
  before(async () => {
    // 40 ms between chunks: the stream is still running when the client goes away.
    stack = await startStack({ mock: { chunkDelayMs: 40 } });
  });
  after(async () => stack.close());

  test("aborts the upstream request and still records the request", async () => {
    const before = stack.mock.stats();
    const url = new URL(`${stack.sidecar.url}/v1/chat/completions`);
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`).join(" ");
    await new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { authorization: `Bearer ${stack.demoKey}`, "content-type": "application/json" },
        },
        (res) => {
          assert.equal(res.statusCode, 200);
          assert.match(String(res.headers["content-type"]), /^text\/event-stream/);
          let received = 0;
          res.on("data", (d: Buffer) => {
            received += d.length;
            if (received > 200) {
              req.destroy();
              resolve();
            }
          });
          res.on("error", () => undefined);
        },
      );
      req.on("error", (err) => (err.message.includes("socket hang up") || err.message.includes("aborted") ? undefined : reject(err)));
      req.end(JSON.stringify({ model: "mock-echo", stream: true, messages: [{ role: "user", content: words }] }));
    });
    await waitFor(() => stack.mock.stats().streams.aborted === before.streams.aborted + 1, 2000);
    assert.equal(stack.mock.stats().streams.completed, before.streams.completed);

    const { value } = await waitFor(async () => {
      const body = (await stack.admin.ok("GET", "/api/v1/usage/records?limit=10")) as {
        data: { status: number; error_code: string; stream: boolean }[];
      };
      return body.data.length === 1 ? body.data[0] : undefined;
    }, 3000);
    assert.equal(value?.stream, true);
    assert.equal(value?.error_code, "client_closed_request");
  });
});
