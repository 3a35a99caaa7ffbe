import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

/** OpenAI-compatible vendors are data over one adapter; the OpenAI mock stands in for each vendor's server. */
describe("OpenAI-compatible vendors through the sidecar", () => {
  let stack: Stack;
  let client: OpenAI;
  const vendors = ["mistral", "groq", "together", "fireworks", "openrouter", "ollama", "vllm", "openai-compatible"];
  before(async () => {
    stack = await startStack();
    for (const vendor of vendors) {
      await stack.admin.ok("PUT", `/api/v1/providers/${vendor}-cred`, { provider: vendor, secrets: { api_key: `${vendor}-TEST-key` } });
      await stack.admin.ok("PUT", `/api/v1/deployments/${vendor}`, { provider: vendor, base_url: stack.mock.baseUrl, credential_id: `${vendor}-cred`, upstream_model: `${vendor}-upstream` });
      await stack.admin.ok("PUT", `/api/v1/routes/${vendor}-model`, { targets: [{ deployment_id: vendor }] });
    }
    client = new OpenAI({ apiKey: stack.demoKey, baseURL: `${stack.sidecar.url}/v1`, maxRetries: 0 });
    await waitFor(async () => (await client.models.list()).data.length === vendors.length + 1, 2000);
  });
  after(async () => stack.close());

  test("every vendor answers non-stream and stream with exact usage accounted", async () => {
    for (const vendor of vendors) {
      const res = await client.chat.completions.create({ model: `${vendor}-model`, messages: [{ role: "user", content: `hi ${vendor}` }] });
      assert.equal(res.choices[0]?.message.content, `echo: hi ${vendor}`, vendor);
      const seen = stack.mock.stats().lastRequest;
      assert.equal(seen?.headers.authorization, `Bearer ${vendor}-TEST-key`, vendor);
      assert.equal((seen?.body as { model: string }).model, `${vendor}-upstream`, vendor);
      let text = "";
      for await (const chunk of await client.chat.completions.create({ model: `${vendor}-model`, stream: true, messages: [{ role: "user", content: "a b c" }] })) {
        text += chunk.choices[0]?.delta.content ?? "";
      }
      assert.equal(text, "echo: a b c", vendor);
    }
    const served = stack.mock.stats().usage;
    await waitFor(async () => {
      const body = (await stack.admin.ok("GET", "/api/v1/usage")) as { data: { requests: number; completion_tokens: number }[] };
      return body.data[0]?.requests === vendors.length * 2 && body.data[0]?.completion_tokens === served.completion_tokens;
    }, 3000);
  });

  test("a vendor quirk is applied as data: Mistral gets random_seed instead of seed", async () => {
    await client.chat.completions.create({ model: "mistral-model", seed: 7, messages: [{ role: "user", content: "x" }] });
    const body = stack.mock.stats().lastRequest?.body as Record<string, unknown>;
    assert.equal(body.random_seed, 7);
    assert.equal(body.seed, undefined);
  });
});
