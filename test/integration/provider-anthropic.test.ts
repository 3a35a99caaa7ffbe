import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startAnthropicMock, type AnthropicMockHandle } from "../../mock-provider/src/anthropic/server";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

const ANTHROPIC_KEY = "sk-ant-TEST-" + "0123456789abcdef";

describe("OpenAI SDK → sidecar → Anthropic Messages (translated)", () => {
  let stack: Stack;
  let anthropic: AnthropicMockHandle;
  let client: OpenAI;
  before(async () => {
    stack = await startStack();
    anthropic = await startAnthropicMock({ port: 0 });
    await stack.admin.ok("PUT", "/api/v1/providers/anthropic", { provider: "anthropic", secrets: { api_key: ANTHROPIC_KEY } });
    await stack.admin.ok("PUT", "/api/v1/deployments/claude", {
      provider: "anthropic",
      base_url: anthropic.url,
      upstream_model: "claude-sonnet-4-5",
      credential_id: "anthropic",
    });
    await stack.admin.ok("PUT", "/api/v1/routes/claude-sonnet", { targets: [{ deployment_id: "claude" }] });
    client = new OpenAI({ apiKey: stack.demoKey, baseURL: `${stack.sidecar.url}/v1`, maxRetries: 0 });
    await waitFor(async () => (await client.models.list()).data.some((m) => m.id === "claude-sonnet"), 2000);
  });
  after(async () => {
    await stack.close();
    await anthropic.close();
  });

  test("non-stream: system hoisted, x-api-key sent, OpenAI-shaped answer with usage", async () => {
    const res = await client.chat.completions.create({
      model: "claude-sonnet",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hello claude" },
      ],
    });
    assert.equal(res.object, "chat.completion");
    assert.equal(res.choices[0]?.message.content, "echo: hello claude");
    assert.equal(res.choices[0]?.finish_reason, "stop");
    assert.ok((res.usage?.prompt_tokens ?? 0) > 0);
    const seen = anthropic.lastRequest();
    assert.equal(seen?.path, "/v1/messages");
    assert.equal(seen?.headers["x-api-key"], ANTHROPIC_KEY);
    assert.equal(seen?.headers["authorization"], undefined, "the virtual key never goes upstream");
    const body = seen?.body as { model: string; system: unknown; messages: { role: string }[]; max_tokens: number };
    assert.equal(body.model, "claude-sonnet-4-5");
    assert.ok(JSON.stringify(body.system).includes("be brief"));
    assert.deepEqual(body.messages.map((m) => m.role), ["user"]);
    assert.ok(body.max_tokens > 0);
  });

  test("stream: text deltas reassemble; usage only when asked; tool calls stream with arguments", async () => {
    let text = "";
    let usageSeen = 0;
    for await (const chunk of await client.chat.completions.create({
      model: "claude-sonnet",
      stream: true,
      messages: [{ role: "user", content: "stream from claude" }],
    })) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usageSeen += 1;
    }
    assert.equal(text, "echo: stream from claude");
    assert.equal(usageSeen, 0);

    const tools: OpenAI.ChatCompletionTool[] = [
      { type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } },
    ];
    let args = "";
    let name = "";
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of await client.chat.completions.create({
      model: "claude-sonnet",
      stream: true,
      stream_options: { include_usage: true },
      tools,
      messages: [{ role: "user", content: "please call lookup" }],
    })) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      args += call?.function?.arguments ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(name, "lookup");
    assert.deepEqual(JSON.parse(args), { q: "mock" });
    assert.equal(finish, "tool_calls");
    assert.ok((usage?.completion_tokens ?? 0) > 0);
  });

  test("a parameter Anthropic cannot honour is rejected before any upstream call", async () => {
    const before = anthropic.lastRequest();
    await assert.rejects(
      client.chat.completions.create({ model: "claude-sonnet", n: 2, messages: [{ role: "user", content: "x" }] }),
      (err: unknown) => err instanceof OpenAI.BadRequestError && (err.error as { code?: string }).code === "invalid_request" && err.param === "n",
    );
    assert.equal(anthropic.lastRequest(), before);
  });

  test("provider errors arrive OpenAI-shaped with status and retry-after", async () => {
    const res = await fetch(`${stack.sidecar.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.demoKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-sonnet", messages: [{ role: "user", content: "[mock:error=429:retry-after=4] x" }] }),
    });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), "4");
    const body = (await res.json()) as { error: { type: string; message: string } };
    assert.equal(typeof body.error.message, "string");
  });

  test("usage of the translated calls reaches the control plane under the anthropic provider", async () => {
    await waitFor(async () => {
      const body = (await stack.admin.ok("GET", "/api/v1/usage?group_by=provider")) as { data: { group: string; requests: number; completion_tokens: number }[] };
      const row = body.data.find((r) => r.group === "anthropic");
      return row !== undefined && row.requests >= 3 && row.completion_tokens > 0;
    }, 3000);
  });
});
