/**
 * Routing over real sockets: a real control plane and sidecar, the OpenAI mock, the Anthropic mock and a
 * deployment whose port refuses connections. Fallback (also across providers, also for streams), retries on
 * 429 with retry-after, a retry-after too long to wait, first-token timeouts, circuit breaking, and the
 * headers and usage records that say which deployment served after how many attempts.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { startAnthropicMock, type AnthropicMockHandle } from "../../mock-provider/src/anthropic/server";
import { chatText, type RawChatAnswer } from "../support/chat";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

/** A port with nothing listening (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function chat(stack: Stack, model: string, content: string, stream = false): Promise<RawChatAnswer> {
  return chatText(stack.sidecar.url, stack.demoKey, model, content, stream);
}

async function routed(stack: Stack, model: string): Promise<void> {
  await waitFor(async () => ((await chat(stack, model, "ping")).status !== 404 ? true : undefined), 3000);
}

interface UsageRecord {
  model: string;
  deployment_id: string;
  attempts: number;
  status: number;
}

async function records(stack: Stack, model: string, count: number): Promise<UsageRecord[]> {
  const { value } = await waitFor(async () => {
    const body = (await stack.admin.ok("GET", "/api/v1/usage/records?limit=200")) as { data: UsageRecord[] };
    const mine = body.data.filter((r) => r.model === model);
    return mine.length >= count ? mine : undefined;
  }, 3000);
  return value;
}

describe("routing: fallback, retries, timeouts, circuit breaking", () => {
  let stack: Stack;
  let anthropic: AnthropicMockHandle;
  let dead: number;

  before(async () => {
    stack = await startStack({ sidecarEnv: { SIDEGATE_METRICS_PORT: "-1" } });
    anthropic = await startAnthropicMock({ port: 0 });
    dead = await closedPort();
    const admin = stack.admin;
    await admin.ok("PUT", "/api/v1/providers/anthropic-cred", { provider: "anthropic", secrets: { api_key: "sk-ant-TEST-key" } });
    await admin.ok("PUT", "/api/v1/deployments/dead", { provider: "openai", base_url: `http://127.0.0.1:${dead}/v1`, credential_id: "mock-cred" });
    await admin.ok("PUT", "/api/v1/deployments/live", { provider: "openai", base_url: stack.mock.baseUrl, credential_id: "mock-cred" });
    await admin.ok("PUT", "/api/v1/deployments/claude", {
      provider: "anthropic", base_url: anthropic.url, credential_id: "anthropic-cred", upstream_model: "claude-sonnet-4-5",
    });
    await admin.ok("PUT", "/api/v1/routes/failover", {
      targets: [{ deployment_id: "dead", priority: 0 }, { deployment_id: "live", priority: 1 }],
    });
    await admin.ok("PUT", "/api/v1/routes/cross-provider", {
      targets: [{ deployment_id: "dead", priority: 0 }, { deployment_id: "claude", priority: 1 }],
    });
    await admin.ok("PUT", "/api/v1/routes/single", { targets: [{ deployment_id: "live" }], retry: { backoff_base_ms: 20, backoff_max_ms: 40 } });
    await admin.ok("PUT", "/api/v1/routes/impatient", {
      targets: [{ deployment_id: "live" }], retry: { max_attempts: 1 }, timeouts: { first_token_ms: 300 },
    });
    // Its own healthy deployment: "live" above gets ejected by the 429 tests (429s count against a deployment).
    await admin.ok("PUT", "/api/v1/deployments/live-b", { provider: "openai", base_url: stack.mock.baseUrl, credential_id: "mock-cred" });
    await admin.ok("PUT", "/api/v1/routes/breaker", {
      targets: [{ deployment_id: "dead", priority: 0 }, { deployment_id: "live-b", priority: 1 }],
    });
    for (const m of ["failover", "cross-provider", "single", "impatient"]) await routed(stack, m);
  });
  after(async () => {
    await stack.close();
    await anthropic.close();
  });

  test("a refused connection falls back to the next deployment; headers and the usage record say so", async () => {
    const r = await chat(stack, "failover", "hello");
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(r.text).choices[0].message.content, "echo: hello");
    assert.equal(r.headers.get("x-sidegate-deployment"), "live");
    assert.equal(r.headers.get("x-sidegate-attempts"), "2");
    const [record] = await records(stack, "failover", 1);
    assert.equal(record?.deployment_id, "live");
    assert.equal(record?.attempts, 2);
  });

  test("a stream falls back too, since no byte had reached the client", async () => {
    const r = await chat(stack, "failover", "streamed", true);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "text/event-stream");
    assert.equal(r.headers.get("x-sidegate-attempts"), "2");
    assert.match(r.text, /"content":"echo/);
    assert.match(r.text, /data: \[DONE\]\n\n$/);
  });

  test("the fallback may be another provider: OpenAI request translated for Anthropic", async () => {
    const r = await chat(stack, "cross-provider", "bonjour");
    assert.equal(r.status, 200, r.text);
    const body = JSON.parse(r.text);
    assert.equal(body.object, "chat.completion");
    assert.equal(body.choices[0].message.content, "echo: bonjour");
    assert.equal(r.headers.get("x-sidegate-deployment"), "claude");
    assert.ok(Object.values(anthropic.requestCounts()).reduce((a, b) => a + b, 0) >= 1);
  });

  test("429 with retry-after is retried on the same deployment up to max_attempts, then relayed", async () => {
    const before = stack.mock.stats().requests.total;
    const r = await chat(stack, "single", "[mock:error=429:retry-after=0] busy");
    assert.equal(r.status, 429);
    assert.equal(r.headers.get("x-sidegate-attempts"), "3");
    assert.equal(r.headers.get("retry-after"), "0");
    assert.equal(stack.mock.stats().requests.total - before, 3, "three upstream attempts");
  });

  test("a provider asking to wait longer than max_retry_after_ms is not retried", async () => {
    const before = stack.mock.stats().requests.total;
    const r = await chat(stack, "single", "[mock:error=429:retry-after=60] much later");
    assert.equal(r.status, 429);
    assert.equal(r.headers.get("retry-after"), "60");
    assert.equal(r.headers.get("x-sidegate-attempts"), "1");
    assert.equal(stack.mock.stats().requests.total - before, 1);
  });

  test("no first token within the route's first_token_ms: 504 upstream_timeout", async () => {
    const started = Date.now();
    const r = await chat(stack, "impatient", "[mock:hang] never", true);
    assert.equal(r.status, 504);
    assert.equal(JSON.parse(r.text).error.code, "upstream_timeout");
    assert.ok(Date.now() - started < 5_000, "answered by the route's timeout, not the 120 s default");
  });

  test("consecutive failures eject a deployment: later requests skip it (breaker state in metrics)", async () => {
    await routed(stack, "breaker");
    // Fallbacks each count one failure against "dead"; five in a row open its breaker.
    for (let i = 0; i < 6; i++) assert.equal((await chat(stack, "breaker", `warm ${i}`)).status, 200);
    const r = await chat(stack, "breaker", "after ejection");
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("x-sidegate-attempts"), "1", "the ejected deployment is not tried");
    assert.equal(r.headers.get("x-sidegate-deployment"), "live-b");
    const metrics = await (await fetch(`http://127.0.0.1:${stack.sidecar.metricsPort}/metrics`)).text();
    assert.match(metrics, /sidegate_sidecar_deployment_breaker_state\{deployment="dead"\} 2/);
    assert.match(metrics, /sidegate_sidecar_deployment_breaker_state\{deployment="live-b"\} 0/);
    assert.match(metrics, /sidegate_sidecar_upstream_retries_total\{kind="fallback"\} \d+/);
    assert.match(metrics, /sidegate_sidecar_upstream_retries_total\{kind="retry"\} \d+/);
  });
});
