/**
 * `provider/model` addressing over a real control plane, sidecar and mock provider: a deployment's
 * `direct_models` makes `openai/<model>` reachable without a route; allow-lists name such models by address or
 * `<provider>/*`; `GET /v1/models` lists what the key may use (checklist #60).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chat as chatOnce, type ChatAnswer } from "../support/chat";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

function chat(stack: Stack, key: string, model: string): Promise<ChatAnswer> {
  return chatOnce(stack.sidecar.url, key, "hi", { model });
}

async function models(stack: Stack, key: string): Promise<{ object: string; data: { id: string; object: string; created: number; owned_by: string }[] }> {
  const res = await fetch(`${stack.sidecar.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(res.status, 200);
  return (await res.json()) as Awaited<ReturnType<typeof models>>;
}

const directDeployment = (stack: Stack, direct: string[]) => ({
  provider: "openai",
  base_url: stack.mock.baseUrl,
  credential_id: "mock-cred",
  direct_models: direct,
});

describe("provider/model addressing", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => stack.close());

  test("an address is 404 model_not_found until a deployment lists it", async () => {
    const r = await chat(stack, stack.demoKey, "openai/gpt-4o-mini");
    assert.equal(r.status, 404);
    assert.equal(r.body.error?.code, "model_not_found");
  });

  test("direct_models makes openai/<model> reachable: the upstream gets the model without the prefix; usage records both", async () => {
    await stack.admin.ok("PUT", "/api/v1/deployments/mock-direct", directDeployment(stack, ["gpt-4o-mini", "*"]));
    const { value } = await waitFor(async () => {
      const r = await chat(stack, stack.demoKey, "openai/gpt-4o-mini");
      return r.status === 200 ? r : undefined;
    }, 2000);
    assert.equal(value.body.model, "gpt-4o-mini", "the mock echoes the model it was sent");
    const wild = await chat(stack, stack.demoKey, "openai/o3-mini");
    assert.equal(wild.status, 200);
    assert.equal(wild.body.model, "o3-mini");
    assert.equal((await chat(stack, stack.demoKey, "anthropic/claude-x")).status, 404, "no anthropic deployment is direct");
    assert.equal((await chat(stack, stack.demoKey, "mock-echo")).status, 200, "routes still work");

    const { value: records } = await waitFor(async () => {
      const body = (await stack.admin.ok("GET", "/api/v1/usage/records?limit=20")) as {
        data: { model: string; upstream_model: string; deployment_id: string; status: number }[];
      };
      const direct = body.data.filter((r) => r.deployment_id === "mock-direct");
      return direct.length >= 2 ? direct : undefined;
    }, 3000);
    const pairs = records.map((r) => `${r.model}→${r.upstream_model}`).sort();
    assert.deepEqual(pairs, ["openai/gpt-4o-mini→gpt-4o-mini", "openai/o3-mini→o3-mini"]);
  });

  test("GET /v1/models lists routes and enumerable direct addresses in the OpenAI list shape", async () => {
    const list = await models(stack, stack.demoKey);
    assert.equal(list.object, "list");
    assert.deepEqual(list.data.map((m) => m.id), ["mock-echo", "openai/gpt-4o-mini"]);
    for (const m of list.data) {
      assert.equal(m.object, "model");
      assert.ok(Number.isInteger(m.created) && m.created > 0);
      assert.equal(typeof m.owned_by, "string");
    }
  });

  test("a second deployment of the provider may not list the same entry (409 conflict on direct_models)", async () => {
    const r = await stack.admin.call("PUT", "/api/v1/deployments/mock-direct-2", directDeployment(stack, ["*"]));
    assert.equal(r.status, 409);
    const err = (r.body as { error: { code: string; details: { path: string }[] } }).error;
    assert.equal(err.code, "conflict");
    assert.deepEqual(err.details.map((d) => d.path), ["direct_models"]);
  });

  test("allow-lists name direct models by address or <provider>/*", async () => {
    const exact = (await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo", allowed_models: ["openai/gpt-4o-mini"] })) as { key: string };
    const wildcard = (await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo", allowed_models: ["openai/*"] })) as { key: string };
    await waitFor(async () => (await chat(stack, exact.key, "openai/gpt-4o-mini")).status === 200, 2000);
    const denied = await chat(stack, exact.key, "openai/o3-mini");
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error?.code, "model_not_allowed");
    assert.equal((await chat(stack, exact.key, "mock-echo")).status, 403);
    assert.deepEqual((await models(stack, exact.key)).data.map((m) => m.id), ["openai/gpt-4o-mini"]);

    await waitFor(async () => (await chat(stack, wildcard.key, "openai/o3-mini")).status === 200, 2000);
    assert.equal((await chat(stack, wildcard.key, "mock-echo")).status, 403);
    assert.deepEqual((await models(stack, wildcard.key)).data.map((m) => m.id), ["openai/gpt-4o-mini"]);
  });

  test("streaming works through a direct address and ends with [DONE]", async () => {
    const res = await fetch(`${stack.sidecar.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.demoKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi there" }] }),
    });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(text.trimEnd().endsWith("data: [DONE]"));
    assert.match(text, /"model":"gpt-4o-mini"/);
  });

  test("emptying direct_models withdraws the addresses from chat and from the model list", async () => {
    await stack.admin.ok("PUT", "/api/v1/deployments/mock-direct", directDeployment(stack, []));
    await waitFor(async () => (await chat(stack, stack.demoKey, "openai/gpt-4o-mini")).status === 404, 2000);
    assert.deepEqual((await models(stack, stack.demoKey)).data.map((m) => m.id), ["mock-echo"]);
  });
});
