import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

describe("OpenAI SDK → sidecar → mock provider", () => {
  let stack: Stack;
  let client: OpenAI;
  before(async () => {
    stack = await startStack();
    client = new OpenAI({ apiKey: stack.demoKey, baseURL: `${stack.sidecar.url}/v1`, maxRetries: 0 });
  });
  after(async () => stack.close());

  test("non-streaming completion carries the echo, usage and ids", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "mock-echo", messages: [{ role: "user", content: "hello sidecar world" }] })
      .withResponse();
    assert.equal(data.object, "chat.completion");
    assert.match(data.id, /^chatcmpl-/);
    assert.equal(data.choices[0]?.message.content, "echo: hello sidecar world");
    assert.equal(data.choices[0]?.finish_reason, "stop");
    assert.equal(data.usage?.completion_tokens, 4);
    assert.ok((data.usage?.prompt_tokens ?? 0) > 0);
    assert.match(response.headers.get("x-request-id") ?? "", /^[A-Za-z0-9._-]{8,}$/);
    // The upstream got the provider credential, never the virtual key.
    const seen = stack.mock.stats().lastRequest;
    assert.equal(seen?.headers.authorization, "Bearer sk-upstream-TEST-9f8e7d6c5b4a39281706");
  });

  test("streaming completion reassembles to the same text; usage only when asked", async () => {
    const stream = await client.chat.completions.create({
      model: "mock-echo",
      messages: [{ role: "user", content: "one two three four" }],
      stream: true,
    });
    let text = "";
    let chunks = 0;
    let usageChunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      assert.equal(chunk.object, "chat.completion.chunk");
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usageChunks += 1;
    }
    assert.equal(text, "echo: one two three four");
    assert.ok(chunks >= 5);
    assert.equal(usageChunks, 0, "the usage chunk the sidecar asked for is stripped");
    // The sidecar asked the provider for usage even though the client did not.
    const upstreamBody = stack.mock.stats().lastRequest?.body as { stream_options?: { include_usage?: boolean } };
    assert.equal(upstreamBody.stream_options?.include_usage, true);

    const withUsage = await client.chat.completions.create({
      model: "mock-echo",
      messages: [{ role: "user", content: "alpha beta" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of withUsage) if (chunk.usage) usage = chunk.usage;
    assert.equal(usage?.completion_tokens, 3);
  });

  test("models lists what the key may use", async () => {
    const models = await client.models.list();
    assert.deepEqual(
      models.data.map((m) => m.id),
      ["mock-echo"],
    );
  });

  test("usage of these requests reaches the control plane with the provider's token counts", async () => {
    const served = stack.mock.stats().usage;
    const { value } = await waitFor(async () => {
      const body = (await stack.admin.ok("GET", "/api/v1/usage?group_by=key_id")) as {
        data: { group: string; requests: number; prompt_tokens: number; completion_tokens: number }[];
      };
      const row = body.data.find((r) => r.group === "demo");
      return row && row.requests === 3 ? row : undefined;
    }, 5000);
    assert.equal(value.prompt_tokens, served.prompt_tokens);
    assert.equal(value.completion_tokens, served.completion_tokens);
  });
});
