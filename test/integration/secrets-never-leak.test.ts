import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startStack, TEST_PROVIDER_KEY, type Stack } from "../support/stack";

describe("secrets never appear in logs, errors, admin responses or at rest in plaintext", () => {
  let stack: Stack;
  let extraKey = "";
  before(async () => {
    stack = await startStack();
    extraKey = ((await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo" })) as { key: string }).key;
    const go = (body: unknown, key = stack.demoKey): Promise<Response> =>
      fetch(`${stack.sidecar.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    // Traffic of every kind: success, stream, rejections, upstream errors, bad admin calls.
    await (await go({ model: "mock-echo", messages: [{ role: "user", content: "hello" }] })).text();
    await (await go({ model: "mock-echo", stream: true, messages: [{ role: "user", content: "hello" }] })).text();
    await (await go({ model: "mock-echo", messages: [{ role: "user", content: "[mock:error=500] x" }] })).text();
    await (await go({ model: "nope", messages: [] }, extraKey)).text();
    await (await go({ model: "mock-echo", messages: [] }, extraKey + "x")).text();
    await stack.admin.call("GET", "/api/v1/keys", undefined, "wrong-" + stack.adminToken);
    await stack.admin.call("PUT", "/api/v1/providers/bad", { provider: "openai", secrets: { api_key: TEST_PROVIDER_KEY }, extra: 1 });
    await stack.admin.call("GET", "/api/v1/providers");
  });
  after(async () => stack.close());

  const secrets = (): [string, string][] => [
    ["provider key", TEST_PROVIDER_KEY],
    ["virtual key", stack.demoKey],
    ["second virtual key", extraKey],
    ["admin token", stack.adminToken],
    ["sidecar token", stack.sidecarToken],
  ];

  test("captured logs of both binaries hold none of them", () => {
    const logs = stack.cpLogs.text() + stack.sidecarLogs.text();
    assert.ok(logs.length > 1000, "logs were captured");
    for (const [name, value] of secrets()) assert.ok(!logs.includes(value), `${name} leaked into logs`);
  });

  test("admin API listings hold none of them", async () => {
    for (const path of ["/api/v1/keys", "/api/v1/providers", "/api/v1/providers/mock-cred", "/api/v1/teams", "/api/v1/deployments", "/api/v1/routes", "/api/v1/usage/records"]) {
      const res = await stack.admin.call("GET", path);
      assert.equal(res.status, 200, path);
      const text = JSON.stringify(res.body);
      for (const [name, value] of secrets()) assert.ok(!text.includes(value), `${name} in ${path}`);
    }
  });

  test("metrics hold none of them", async () => {
    const text = await (await fetch(`${stack.cp.httpUrl}/metrics`)).text();
    for (const [name, value] of secrets()) assert.ok(!text.includes(value), `${name} in metrics`);
  });

  test("the store holds no plaintext provider key or virtual key", () => {
    for (const file of readdirSync(stack.dataDir)) {
      const bytes = readFileSync(join(stack.dataDir, file));
      for (const [name, value] of secrets().slice(0, 3)) {
        assert.equal(bytes.indexOf(Buffer.from(value)), -1, `${name} in ${file}`);
      }
    }
  });
});
