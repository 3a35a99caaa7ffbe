import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chat as chatOnce, type ChatAnswer } from "../support/chat";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

function chat(stack: Stack, key: string): Promise<ChatAnswer> {
  return chatOnce(stack.sidecar.url, key, "hi");
}

describe("key lifecycle across control plane and sidecars", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ sidecars: 2 });
  });
  after(async () => stack.close());

  test("a key created through the admin API works on every running sidecar within 1 s", async () => {
    const created = (await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo", name: "ci" })) as {
      id: string;
      key: string;
    };
    assert.match(created.key, /^sk-sg-[A-Za-z0-9_-]{43}$/);
    for (const sidecar of stack.sidecars) {
      const { elapsedMs } = await waitFor(async () => {
        const res = await fetch(`${sidecar.url}/v1/models`, { headers: { authorization: `Bearer ${created.key}` } });
        return res.status === 200;
      }, 1000);
      assert.ok(elapsedMs <= 1000);
    }
    assert.equal((await chat(stack, created.key)).status, 200);
  });

  test("a revoked key gets 401 invalid_api_key on every sidecar within 1 s", async () => {
    const created = (await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo" })) as { id: string; key: string };
    await waitFor(async () => (await chat(stack, created.key)).status === 200, 1000);
    const revoked = (await stack.admin.ok("DELETE", `/api/v1/keys/${created.id}`)) as { status: string };
    assert.equal(revoked.status, "revoked");
    for (const sidecar of stack.sidecars) {
      await waitFor(async () => {
        const res = await fetch(`${sidecar.url}/v1/models`, { headers: { authorization: `Bearer ${created.key}` } });
        if (res.status !== 401) return false;
        const body = (await res.json()) as { error: { code: string; type: string } };
        return body.error.code === "invalid_api_key" && body.error.type === "authentication_error";
      }, 1000);
    }
  });

  test("the key secret is shown once: never in list or get", async () => {
    const created = (await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo" })) as { id: string; key: string };
    const list = await stack.admin.call("GET", "/api/v1/keys");
    const one = await stack.admin.call("GET", `/api/v1/keys/${created.id}`);
    for (const res of [list, one]) {
      assert.equal(res.status, 200);
      const text = JSON.stringify(res.body);
      assert.ok(!text.includes(created.key), "secret must not be listed");
      assert.ok(!text.includes(created.key.slice(6, 30)), "no fragment of the secret beyond the mask");
    }
    assert.equal((one.body as { display: string }).display, `sk-sg-…${created.key.slice(-4)}`);
  });

  test("a key restricted to other models gets 403 model_not_allowed", async () => {
    await stack.admin.ok("PUT", "/api/v1/routes/mock-other", { targets: [{ deployment_id: "mock" }] });
    const created = (await stack.admin.ok("POST", "/api/v1/keys", {
      team_id: "demo",
      allowed_models: ["mock-other"],
    })) as { key: string };
    const { value } = await waitFor(async () => {
      const r = await chat(stack, created.key);
      return r.status === 403 ? r : undefined;
    }, 1000);
    assert.equal(value.body.error?.code, "model_not_allowed");
  });
});
