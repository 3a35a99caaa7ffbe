import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startStack, type Stack } from "./stack";
import { waitFor } from "./wait";

export interface ProviderMock {
  url: string;
  close(): Promise<void>;
  lastRequest(): { path: string; headers: Record<string, string>; body: unknown } | null;
}

/** One provider family as the end-to-end suite drives it: a wire-format mock plus how to route to it. */
export interface ProviderUnderTest {
  /** Adapter id in the sidecar registry (and the usage `provider` dimension). */
  provider: string;
  startMock(): Promise<ProviderMock>;
  /** Deployment fields other than provider/credential (base_url, region, options, upstream_model). */
  deployment(mock: ProviderMock): Record<string, unknown>;
  secrets: Record<string, string>;
  /** Assertions on what reached the provider for a plain non-stream call. */
  checkUpstream?(request: NonNullable<ReturnType<ProviderMock["lastRequest"]>>): void;
  /** Secret values that must never reach the client, logs or the provider's request other than as credentials. */
  skipToolStream?: boolean;
}

/**
 * The same end-to-end checks for every translated provider: the official OpenAI SDK → a real sidecar (policy
 * from a real control plane) → the provider's wire-format mock, streaming and not, tools, errors, usage.
 */
export function describeProviderEndToEnd(p: ProviderUnderTest): void {
  describe(`OpenAI SDK → sidecar → ${p.provider} (wire-format mock)`, () => {
    let stack: Stack;
    let mock: ProviderMock;
    let client: OpenAI;
    const model = `${p.provider}-model`;
    before(async () => {
      stack = await startStack();
      mock = await p.startMock();
      await stack.admin.ok("PUT", `/api/v1/providers/${p.provider}-cred`, { provider: p.provider, secrets: p.secrets });
      await stack.admin.ok("PUT", `/api/v1/deployments/${p.provider}-dep`, {
        provider: p.provider,
        credential_id: `${p.provider}-cred`,
        ...p.deployment(mock),
      });
      await stack.admin.ok("PUT", `/api/v1/routes/${model}`, { targets: [{ deployment_id: `${p.provider}-dep` }] });
      client = new OpenAI({ apiKey: stack.demoKey, baseURL: `${stack.sidecar.url}/v1`, maxRetries: 0 });
      await waitFor(async () => (await client.models.list()).data.some((m) => m.id === model), 2000);
    });
    after(async () => {
      await stack.close();
      await mock.close();
    });

    test("non-stream completion is translated both ways", async () => {
      const res = await client.chat.completions.create({
        model,
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content: "hello provider" },
        ],
      });
      assert.equal(res.object, "chat.completion");
      assert.match(res.id, /^chatcmpl-/);
      assert.ok(res.created > 1_700_000_000 && res.created < 4_000_000_000, `created is a unix time in seconds: ${res.created}`);
      assert.ok(res.model.length > 0 && res.model !== p.provider, `model names the upstream model: ${res.model}`);
      assert.equal(res.choices[0]?.message.content, "echo: hello provider");
      assert.equal(res.choices[0]?.finish_reason, "stop");
      assert.ok((res.usage?.prompt_tokens ?? 0) > 0);
      assert.ok((res.usage?.completion_tokens ?? 0) > 0);
      const seen = mock.lastRequest();
      assert.ok(seen, "the provider was called");
      assert.ok(!JSON.stringify(seen.headers).includes(stack.demoKey), "the virtual key never goes upstream");
      p.checkUpstream?.(seen);
    });

    test("stream reassembles to the same text; the usage chunk only when asked", async () => {
      let text = "";
      let usageChunks = 0;
      for await (const chunk of await client.chat.completions.create({
        model,
        stream: true,
        messages: [{ role: "user", content: "stream these words" }],
      })) {
        text += chunk.choices[0]?.delta.content ?? "";
        if (chunk.usage) usageChunks += 1;
      }
      assert.equal(text, "echo: stream these words");
      assert.equal(usageChunks, 0);
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of await client.chat.completions.create({
        model,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: "count me" }],
      })) {
        if (chunk.usage) usage = chunk.usage;
      }
      assert.ok((usage?.completion_tokens ?? 0) > 0);
    });

    test("tool calls come back with parsed arguments, streaming and not", { skip: p.skipToolStream === true }, async () => {
      const tools: OpenAI.ChatCompletionTool[] = [
        { type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } } },
      ];
      const whole = await client.chat.completions.create({ model, tools, messages: [{ role: "user", content: "please call lookup" }] });
      const call = whole.choices[0]?.message.tool_calls?.[0];
      assert.equal(whole.choices[0]?.finish_reason, "tool_calls");
      assert.ok(call && call.type === "function");
      assert.equal(call.function.name, "lookup");
      assert.deepEqual(JSON.parse(call.function.arguments), { q: "mock" });

      let args = "";
      let name = "";
      let finish: string | null | undefined;
      for await (const chunk of await client.chat.completions.create({
        model,
        stream: true,
        tools,
        messages: [{ role: "user", content: "please call lookup" }],
      })) {
        const delta = chunk.choices[0]?.delta.tool_calls?.[0];
        if (delta?.function?.name) name = delta.function.name;
        args += delta?.function?.arguments ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      assert.equal(name, "lookup");
      assert.deepEqual(JSON.parse(args), { q: "mock" });
      assert.equal(finish, "tool_calls");
    });

    test("the Anthropic SDK reaches it through /v1/messages, streaming and not", async () => {
      const anthropic = new Anthropic({ apiKey: stack.demoKey, baseURL: stack.sidecar.url, maxRetries: 0 });
      const message = await anthropic.messages.create({ model, max_tokens: 200, system: "be brief", messages: [{ role: "user", content: "hello messages" }] });
      assert.deepEqual(message.content, [{ type: "text", text: "echo: hello messages" }]);
      assert.equal(message.stop_reason, "end_turn");
      assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
      let text = "";
      const stream = anthropic.messages.stream({ model, max_tokens: 200, messages: [{ role: "user", content: "stream messages" }] });
      stream.on("text", (t) => (text += t));
      const final = await stream.finalMessage();
      assert.equal(text, "echo: stream messages");
      assert.ok(final.usage.output_tokens > 0);
    });

    test("a provider 429 arrives as an OpenAI 429 with retry-after", async () => {
      const res = await fetch(`${stack.sidecar.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${stack.demoKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "[mock:error=429:retry-after=4] x" }] }),
      });
      const body = (await res.json()) as { error?: { message?: string; type?: string } };
      assert.equal(res.status, 429, JSON.stringify(body));
      assert.ok(res.headers.get("retry-after"), "retry-after kept");
      assert.equal(typeof body.error?.message, "string");
    });

    test("usage of the translated calls reaches the control plane under this provider", async () => {
      await waitFor(async () => {
        const body = (await stack.admin.ok("GET", "/api/v1/usage?group_by=provider")) as { data: { group: string; requests: number; completion_tokens: number }[] };
        const row = body.data.find((r) => r.group === p.provider);
        return row !== undefined && row.requests >= 4 && row.completion_tokens > 0;
      }, 3000);
    });
  });
}
