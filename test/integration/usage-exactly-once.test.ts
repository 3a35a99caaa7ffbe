import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

interface UsageRow {
  group: string;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
}

async function totals(stack: Stack): Promise<UsageRow> {
  const body = (await stack.admin.ok("GET", "/api/v1/usage")) as { data: UsageRow[] };
  return body.data[0] ?? { group: "total", requests: 0, prompt_tokens: 0, completion_tokens: 0 };
}

async function send(stack: Stack, i: number, stream: boolean): Promise<void> {
  const res = await fetch(`${stack.sidecar.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.demoKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "mock-echo", stream, messages: [{ role: "user", content: `request number ${i}` }] }),
  });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
}

async function metric(stack: Stack, name: string): Promise<number> {
  const text = await (await fetch(`${stack.cp.httpUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) if (line.startsWith(name)) sum += Number(line.split(" ").pop());
  return sum;
}

describe("usage reaches the control plane exactly once", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ proxyControlPlane: true });
  });
  after(async () => stack.close());

  test("N requests → N records, with the Report stream cut and acks lost mid-way", async () => {
    const proxy = stack.grpcProxy;
    assert.ok(proxy);
    const n = 60;
    for (let i = 0; i < 20; i += 1) await send(stack, i, i % 2 === 0);
    await waitFor(async () => (await totals(stack)).requests === 20, 5000);

    // Acks are lost: the control plane stores the batches, the sidecar never hears back and must re-send.
    proxy.blackholeDownstream();
    for (let i = 20; i < 40; i += 1) await send(stack, i, i % 2 === 0);
    await waitFor(async () => (await totals(stack)).requests === 40, 5000);
    proxy.cutAll();
    proxy.restore();

    // Traffic while the connection is down and coming back.
    for (let i = 40; i < 50; i += 1) await send(stack, i, false);
    proxy.cutAll();
    for (let i = 50; i < n; i += 1) await send(stack, i, true);

    const served = () => stack.mock.stats().usage;
    const { value } = await waitFor(async () => {
      const t = await totals(stack);
      return t.requests >= n && t.completion_tokens >= served().completion_tokens ? t : undefined;
    }, 10000);
    // Give any stray re-send a moment to (wrongly) double-count before asserting exactness.
    await new Promise((r) => setTimeout(r, 300));
    const final = await totals(stack);
    assert.equal(final.requests, n);
    assert.equal(value.requests, n);
    assert.equal(final.prompt_tokens, served().prompt_tokens);
    assert.equal(final.completion_tokens, served().completion_tokens);
    assert.ok(proxy.connections() >= 2, "the sidecar reconnected");
    assert.ok((await metric(stack, "sidegate_cp_usage_batches_duplicate_total")) >= 1, "re-sent batches were seen and de-duplicated");
  });
});
