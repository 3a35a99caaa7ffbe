import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startAnthropicMock } from "../../mock-provider/src/anthropic/server";
import { describeProviderEndToEnd } from "../support/provider-suite";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

const ANTHROPIC_KEY = "sk-ant-TEST-" + "0123456789abcdef";

describeProviderEndToEnd({
  provider: "anthropic",
  startMock: () => startAnthropicMock({ port: 0 }),
  deployment: (mock) => ({ base_url: mock.url, upstream_model: "claude-sonnet-4-5" }),
  secrets: { api_key: ANTHROPIC_KEY },
  checkUpstream: (req) => {
    assert.equal(req.path, "/v1/messages");
    assert.equal(req.headers["x-api-key"], ANTHROPIC_KEY);
    assert.equal(req.headers["authorization"], undefined);
    const body = req.body as { model: string; system: unknown; messages: { role: string }[]; max_tokens: number };
    assert.equal(body.model, "claude-sonnet-4-5");
    assert.ok(JSON.stringify(body.system).includes("be brief"), "system hoisted");
    assert.deepEqual(body.messages.map((m) => m.role), ["user"]);
    assert.ok(body.max_tokens > 0, "max_tokens always set");
  },
});

let stack: Stack;
let mock: Awaited<ReturnType<typeof startAnthropicMock>>;
before(async () => {
  stack = await startStack();
  mock = await startAnthropicMock({ port: 0 });
  await stack.admin.ok("PUT", "/api/v1/deployments/claude", { provider: "anthropic", base_url: mock.url });
  await stack.admin.ok("PUT", "/api/v1/routes/claude", { targets: [{ deployment_id: "claude" }] });
});
after(async () => {
  await stack.close();
  await mock.close();
});

test("a parameter Anthropic cannot honour is rejected with 400 naming it, before any upstream call", async () => {
  const client = new OpenAI({ apiKey: stack.demoKey, baseURL: `${stack.sidecar.url}/v1`, maxRetries: 0 });
  await waitFor(async () => (await client.models.list()).data.some((m) => m.id === "claude"), 2000);
  await assert.rejects(
    client.chat.completions.create({ model: "claude", n: 2, messages: [{ role: "user", content: "x" }] }),
    (err: unknown) => err instanceof OpenAI.BadRequestError && (err.error as { code?: string }).code === "invalid_request" && err.param === "n",
  );
  assert.equal(mock.lastRequest(), null);
});
