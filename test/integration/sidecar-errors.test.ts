import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

interface Case {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number;
  code: string;
  type: string;
  param?: string;
}

const chat = (body: unknown): string => JSON.stringify(body);
const hello = [{ role: "user", content: "hi" }];

describe("sidecar error catalogue over real sockets", () => {
  let stack: Stack;
  let blackhole: Server;
  const held: import("node:net").Socket[] = [];
  before(async () => {
    stack = await startStack({ sidecarEnv: { SIDEGATE_UPSTREAM_TIMEOUT_MS: "300", SIDEGATE_MAX_BODY_BYTES: "65536" } });
    // An upstream that accepts connections and never answers (→ 504), and one that is closed (→ 502).
    blackhole = createServer((s) => held.push(s));
    await new Promise<void>((r) => blackhole.listen(0, "127.0.0.1", r));
    const port = (blackhole.address() as import("node:net").AddressInfo).port;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const closedPort = (closed.address() as import("node:net").AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await stack.admin.ok("PUT", "/api/v1/deployments/hang", { provider: "openai", base_url: `http://127.0.0.1:${port}/v1` });
    await stack.admin.ok("PUT", "/api/v1/deployments/down", { provider: "openai", base_url: `http://127.0.0.1:${closedPort}/v1` });
    await stack.admin.ok("PUT", "/api/v1/routes/slow-model", { targets: [{ deployment_id: "hang" }] });
    await stack.admin.ok("PUT", "/api/v1/routes/down-model", { targets: [{ deployment_id: "down" }] });
    await stack.admin.ok("PUT", "/api/v1/routes/garbage-model", { targets: [{ deployment_id: "mock" }] });
    const restricted = (await stack.admin.ok("POST", "/api/v1/keys", {
      id: "restricted",
      team_id: "demo",
      allowed_models: ["down-model"],
    })) as { key: string };
    restrictedKey = restricted.key;
    await waitFor(async () => {
      const res = await fetch(`${stack.sidecar.url}/v1/models`, { headers: { authorization: `Bearer ${restrictedKey}` } });
      return res.status === 200;
    }, 2000);
  });
  after(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((r) => blackhole.close(() => r()));
    await stack.close();
  });
  let restrictedKey = "";

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${stack.demoKey}`, "content-type": "application/json" });

  const cases = (): Case[] => [
    { name: "missing key", headers: { "content-type": "application/json" }, body: chat({ model: "mock-echo", messages: hello }), status: 401, code: "missing_api_key", type: "authentication_error" },
    { name: "unknown key", headers: { authorization: "Bearer sk-sg-doesnotexist0000000000000000000000000000000", "content-type": "application/json" }, body: chat({ model: "mock-echo", messages: hello }), status: 401, code: "invalid_api_key", type: "authentication_error" },
    { name: "malformed JSON", headers: auth(), body: '{"model": "mock-echo", "messages": [', status: 400, code: "invalid_json", type: "invalid_request_error" },
    { name: "body is not an object", headers: auth(), body: "[1,2,3]", status: 400, code: "invalid_request", type: "invalid_request_error" },
    { name: "model missing", headers: auth(), body: chat({ messages: hello }), status: 400, code: "invalid_request", type: "invalid_request_error", param: "model" },
    { name: "messages not an array", headers: auth(), body: chat({ model: "mock-echo", messages: "hi" }), status: 400, code: "invalid_request", type: "invalid_request_error", param: "messages" },
    { name: "stream not a boolean", headers: auth(), body: chat({ model: "mock-echo", messages: hello, stream: "yes" }), status: 400, code: "invalid_request", type: "invalid_request_error", param: "stream" },
    { name: "unknown model", headers: auth(), body: chat({ model: "no-such-model", messages: hello }), status: 404, code: "model_not_found", type: "invalid_request_error", param: "model" },
    { name: "model not allowed for the key", headers: { ...auth(), authorization: `Bearer ${restrictedKey}` }, body: chat({ model: "mock-echo", messages: hello }), status: 403, code: "model_not_allowed", type: "permission_error" },
    { name: "wrong method", method: "GET", path: "/v1/chat/completions", headers: auth(), status: 405, code: "method_not_allowed", type: "invalid_request_error" },
    { name: "unknown path", method: "GET", path: "/v1/nope", headers: auth(), status: 404, code: "not_found", type: "invalid_request_error" },
    { name: "body over the limit", headers: auth(), body: chat({ model: "mock-echo", messages: [{ role: "user", content: "x".repeat(70000) }] }), status: 413, code: "request_too_large", type: "invalid_request_error" },
    { name: "wrong content type", headers: { ...auth(), "content-type": "text/plain" }, body: chat({ model: "mock-echo", messages: hello }), status: 415, code: "unsupported_media_type", type: "invalid_request_error" },
    { name: "upstream refuses connections", headers: { ...auth(), authorization: `Bearer ${restrictedKey}` }, body: chat({ model: "down-model", messages: hello }), status: 502, code: "upstream_unreachable", type: "server_error" },
    { name: "upstream times out", headers: auth(), body: chat({ model: "slow-model", messages: hello }), status: 504, code: "upstream_timeout", type: "server_error" },
    { name: "upstream answers garbage", headers: auth(), body: chat({ model: "garbage-model", messages: [{ role: "user", content: "[mock:garbage] hi" }] }), status: 502, code: "upstream_invalid_response", type: "server_error" },
  ];

  test("every error case answers with its status, code and OpenAI shape, and an x-request-id", async () => {
    const seenIds = new Set<string>();
    for (const c of cases()) {
      const res = await fetch(`${stack.sidecar.url}${c.path ?? "/v1/chat/completions"}`, {
        method: c.method ?? "POST",
        headers: c.headers,
        body: c.body,
      });
      const text = await res.text();
      assert.equal(res.status, c.status, `${c.name}: status (${text})`);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/, `${c.name}: content-type`);
      const id = res.headers.get("x-request-id");
      assert.ok(id && !seenIds.has(id), `${c.name}: unique x-request-id`);
      seenIds.add(id);
      const body = JSON.parse(text) as ErrorBody;
      assert.deepEqual(Object.keys(body), ["error"], `${c.name}: envelope`);
      assert.equal(body.error.code, c.code, `${c.name}: code`);
      assert.equal(body.error.type, c.type, `${c.name}: type`);
      assert.equal(typeof body.error.message, "string", `${c.name}: message`);
      assert.ok(body.error.message.length > 0);
      assert.ok("param" in body.error, `${c.name}: param present`);
      if (c.param !== undefined) assert.equal(body.error.param, c.param, `${c.name}: param`);
      if (c.status === 405) assert.match(res.headers.get("allow") ?? "", /POST/);
    }
  });

  test("provider errors keep their status and retry-after", async () => {
    const res = await fetch(`${stack.sidecar.url}/v1/chat/completions`, {
      method: "POST",
      headers: auth(),
      body: chat({ model: "mock-echo", messages: [{ role: "user", content: "[mock:error=429:retry-after=7] hi" }] }),
    });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), "7");
    const body = (await res.json()) as ErrorBody;
    assert.equal(typeof body.error.message, "string");
    assert.ok(res.headers.get("x-request-id"));
  });

  test("health answers without a key; readiness reflects the snapshot", async () => {
    const health = await fetch(`${stack.sidecar.url}/healthz`);
    assert.equal(health.status, 200);
    assert.ok(health.headers.get("x-request-id"));
    const ready = await fetch(`${stack.sidecar.url}/readyz`);
    assert.equal(ready.status, 200);
  });

  test("the sidecar survives all of it", async () => {
    const res = await fetch(`${stack.sidecar.url}/v1/chat/completions`, {
      method: "POST",
      headers: auth(),
      body: chat({ model: "mock-echo", messages: hello }),
    });
    assert.equal(res.status, 200);
  });
});
