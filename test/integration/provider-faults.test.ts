/**
 * Provider faults through the real attempt loop: a real control plane and sidecar, the OpenAI mock (500s,
 * garbage, a stream cut or stalled midway), a provider that accepts connections and never answers, and one
 * whose failures the test switches on and off to walk a circuit breaker through open → half-open → closed
 * (and a failed probe back to open, with the doubled ejection). What the client sees, how many upstream
 * calls were made, and what `/readyz` and the metrics report are all asserted.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { chatText, type RawChatAnswer } from "../support/chat";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

function chat(stack: Stack, model: string, content: string, stream = false): Promise<RawChatAnswer> {
  return chatText(stack.sidecar.url, stack.demoKey, model, content, stream);
}

function portOf(server: Server | NetServer): number {
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

/** Accepts connections, reads whatever arrives, never answers. */
async function startBlackhole(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createNetServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: portOf(server),
    connections: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An OpenAI-shaped provider that answers 500 (OpenAI's error envelope) while `failing`, else a completion. */
interface Flaky {
  port: number;
  failing: boolean;
  calls: number;
  close(): Promise<void>;
}

async function startFlaky(): Promise<Flaky> {
  const state = { failing: true, calls: 0 };
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on("end", () => {
      state.calls++;
      if (state.failing) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "The server had an error while processing your request.", type: "server_error", param: null, code: null } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-flaky",
          object: "chat.completion",
          created: 1_700_000_000,
          model: "gpt-4o-mini",
          choices: [{ index: 0, message: { role: "assistant", content: "from flaky" }, finish_reason: "stop", logprobs: null }],
          usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(state, {
    port: portOf(server),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

interface ReadyDeployment {
  deployment: string;
  breaker: "closed" | "open" | "half_open";
  retry_in_ms?: number;
  in_flight: number;
  ttft_ms: number | null;
  total_ms: number | null;
}

async function readyDeployment(stack: Stack, id: string): Promise<ReadyDeployment | undefined> {
  const res = await fetch(`${stack.sidecar.url}/readyz`);
  assert.equal(res.status, 200, "an ejected deployment never fails readiness");
  const body = (await res.json()) as { deployments: ReadyDeployment[] };
  return body.deployments.find((d) => d.deployment === id);
}

/** SSE `data:` payloads of a stream body, in order. */
function events(text: string): string[] {
  return text
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => frame.slice("data: ".length));
}

const OPEN_MS = 400;

describe("provider faults: retries, fallbacks, timeouts, breaker transitions", () => {
  let stack: Stack;
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
  let flaky: Flaky;

  before(async () => {
    stack = await startStack({
      sidecarEnv: { SIDEGATE_METRICS_PORT: "-1", SIDEGATE_BREAKER_CONSECUTIVE_FAILURES: "3", SIDEGATE_BREAKER_OPEN_MS: String(OPEN_MS) },
    });
    blackhole = await startBlackhole();
    flaky = await startFlaky();
    flaky.failing = false; // until every route is in the sidecar's policy: the waits below count for breakers
    const admin = stack.admin;
    await admin.ok("PUT", "/api/v1/deployments/live", { provider: "openai", base_url: stack.mock.baseUrl, credential_id: "mock-cred" });
    await admin.ok("PUT", "/api/v1/deployments/silent", { provider: "openai", base_url: `http://127.0.0.1:${blackhole.port}/v1`, credential_id: "mock-cred" });
    await admin.ok("PUT", "/api/v1/deployments/flaky", { provider: "openai", base_url: `http://127.0.0.1:${flaky.port}/v1`, credential_id: "mock-cred" });
    const quick = { backoff_base_ms: 10, backoff_max_ms: 20 };
    await admin.ok("PUT", "/api/v1/routes/one", { targets: [{ deployment_id: "live" }], retry: quick, timeouts: { idle_ms: 300 } });
    await admin.ok("PUT", "/api/v1/routes/silent-first", {
      targets: [{ deployment_id: "silent", priority: 0 }, { deployment_id: "live", priority: 1 }],
      timeouts: { first_token_ms: 300 },
    });
    await admin.ok("PUT", "/api/v1/routes/flaky-first", {
      targets: [{ deployment_id: "flaky", priority: 0 }, { deployment_id: "live", priority: 1 }],
      retry: quick,
    });
    await admin.ok("PUT", "/api/v1/routes/bounded", { targets: [{ deployment_id: "live" }], timeouts: { total_ms: 400 } });
    for (const model of ["one", "silent-first", "flaky-first", "bounded"]) {
      await waitFor(async () => ((await chat(stack, model, "[mock:words=1] ping")).status !== 404 ? true : undefined), 3000);
    }
  });
  after(async () => {
    await stack.close();
    await blackhole.close();
    await flaky.close();
  });

  test("500 is retried with backoff on the only deployment, then relayed with the attempt count", async () => {
    const before = stack.mock.stats().requests.total;
    const r = await chat(stack, "one", "[mock:error=500] down");
    assert.equal(stack.mock.stats().requests.total - before, 3, "max_attempts (3) upstream calls");
    assert.equal(r.status, 500, r.text);
    assert.equal(r.headers.get("x-sidegate-attempts"), "3");
    assert.equal(r.headers.get("x-sidegate-deployment"), "live");
    const body = JSON.parse(r.text) as { error: { type: string; message: string } };
    assert.equal(body.error.type, "server_error");
    assert.equal(typeof body.error.message, "string");
  });

  test("a 200 with a garbage body is not retried: 502 upstream_invalid_response after one call", async () => {
    const before = stack.mock.stats().requests.total;
    const r = await chat(stack, "one", "[mock:garbage] hi");
    assert.equal(r.status, 502, r.text);
    assert.equal((JSON.parse(r.text) as { error: { code: string } }).error.code, "upstream_invalid_response");
    assert.equal(r.headers.get("x-sidegate-attempts"), "1");
    assert.equal(stack.mock.stats().requests.total - before, 1, "the provider did the work: no second call");
  });

  test("a stream cut after bytes reached the client ends with one error event and no [DONE]; not retried", async () => {
    const before = stack.mock.stats().requests.total;
    const r = await chat(stack, "one", "[mock:close-mid-stream=3] one two three four five six seven eight", true);
    assert.equal(r.status, 200, "the response had started");
    assert.equal(r.headers.get("content-type"), "text/event-stream");
    const data = events(r.text);
    assert.ok(data.length >= 2, r.text);
    assert.ok(!data.includes("[DONE]"), "[DONE] only ever means a complete answer");
    const last = JSON.parse(data[data.length - 1] as string) as { error?: { code: string; type: string } };
    assert.equal(last.error?.type, "server_error");
    assert.equal(last.error?.code, "upstream_invalid_response");
    assert.equal(data.filter((d) => d.includes('"error"')).length, 1, "exactly one error event");
    assert.equal(stack.mock.stats().requests.total - before, 1, "bytes had reached the client: no retry");
  });

  test("a stream that stalls midway is cut by the route's idle timeout with an upstream_timeout event", async () => {
    const started = Date.now();
    const r = await chat(stack, "one", "[mock:stall-after=3] one two three four five six", true);
    const elapsed = Date.now() - started;
    assert.equal(r.status, 200);
    const data = events(r.text);
    assert.ok(data.some((d) => d.includes('"content"')), "the chunks before the stall arrived");
    assert.ok(!data.includes("[DONE]"));
    const last = JSON.parse(data[data.length - 1] as string) as { error?: { code: string } };
    assert.equal(last.error?.code, "upstream_timeout");
    assert.ok(elapsed >= 250 && elapsed < 5_000, `cut by idle_ms 300, not the 300 s default (took ${elapsed} ms)`);
  });

  test("a stream that keeps flowing is still cut by the route's total_ms, with an upstream_timeout event", async () => {
    const started = Date.now();
    const r = await chat(stack, "bounded", "[mock:chunk-delay=100][mock:words=20] slow but steady", true);
    const elapsed = Date.now() - started;
    assert.equal(r.status, 200);
    const data = events(r.text);
    assert.ok(data.some((d) => d.includes('"content"')), "chunks flowed before the cut");
    assert.ok(!data.includes("[DONE]"));
    const last = JSON.parse(data[data.length - 1] as string) as { error?: { code: string; message: string } };
    assert.equal(last.error?.code, "upstream_timeout");
    assert.match(last.error?.message ?? "", /in total/);
    assert.ok(elapsed >= 350 && elapsed < 1_800, `cut at total_ms 400, long before the ~2 s stream ends (took ${elapsed} ms)`);
  });

  test("a provider that accepts and never answers: first-token timeout, then fallback to the next deployment", async () => {
    const accepted = blackhole.connections();
    const r = await chat(stack, "silent-first", "anyone there");
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(r.text).choices[0].message.content, "echo: anyone there");
    assert.equal(r.headers.get("x-sidegate-deployment"), "live");
    assert.equal(r.headers.get("x-sidegate-attempts"), "2");
    assert.ok(blackhole.connections() > accepted, "the silent deployment was tried first");
  });

  test("a stream falls back the same way when the first deployment never sends a byte", async () => {
    const r = await chat(stack, "silent-first", "streamed anyway", true);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("x-sidegate-attempts"), "2");
    assert.equal(events(r.text).at(-1), "[DONE]");
  });

  test("breaker: consecutive 500s open it, a successful half-open probe closes it, a failed one re-opens it longer", async () => {
    flaky.failing = true;
    // Each request: flaky answers 500 → fallback to live. Three in a row open flaky's breaker.
    for (let i = 0; i < 3; i++) {
      const r = await chat(stack, "flaky-first", `[mock:words=1] warm ${i}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get("x-sidegate-deployment"), "live");
      assert.equal(r.headers.get("x-sidegate-attempts"), "2");
    }
    const opened = await readyDeployment(stack, "flaky");
    assert.equal(opened?.breaker, "open");
    assert.ok(opened.retry_in_ms !== undefined && opened.retry_in_ms > 0 && opened.retry_in_ms <= OPEN_MS, JSON.stringify(opened));
    assert.equal((await readyDeployment(stack, "live"))?.breaker, "closed");

    const callsWhileOpen = flaky.calls;
    const skipped = await chat(stack, "flaky-first", "[mock:words=1] skipped");
    assert.equal(skipped.headers.get("x-sidegate-attempts"), "1", "an open breaker is not tried");
    assert.equal(skipped.headers.get("x-sidegate-deployment"), "live");
    assert.equal(flaky.calls, callsWhileOpen);
    const metricsUrl = `http://127.0.0.1:${stack.sidecar.metricsPort}/metrics`;
    assert.match(await (await fetch(metricsUrl)).text(), /sidegate_sidecar_deployment_breaker_state\{deployment="flaky"\} 2/);

    // The ejection elapses: half-open. The probe fails → open again, for twice as long.
    await new Promise((r) => setTimeout(r, OPEN_MS + 50));
    assert.equal((await readyDeployment(stack, "flaky"))?.breaker, "half_open");
    assert.match(await (await fetch(metricsUrl)).text(), /sidegate_sidecar_deployment_breaker_state\{deployment="flaky"\} 1/);
    const failedProbe = await chat(stack, "flaky-first", "[mock:words=1] probe one");
    assert.equal(failedProbe.headers.get("x-sidegate-attempts"), "2", "the probe went to flaky, then fell back");
    assert.equal(flaky.calls, callsWhileOpen + 1);
    const reopened = await readyDeployment(stack, "flaky");
    assert.equal(reopened?.breaker, "open");
    assert.ok((reopened.retry_in_ms ?? 0) > OPEN_MS, `second ejection is doubled: ${JSON.stringify(reopened)}`);

    // The provider recovers; after the doubled ejection the probe succeeds and closes the breaker.
    flaky.failing = false;
    await new Promise((r) => setTimeout(r, 2 * OPEN_MS + 50));
    const probe = await chat(stack, "flaky-first", "[mock:words=1] probe two");
    assert.equal(probe.status, 200, probe.text);
    assert.equal(probe.headers.get("x-sidegate-deployment"), "flaky");
    assert.equal(probe.headers.get("x-sidegate-attempts"), "1");
    assert.equal(JSON.parse(probe.text).choices[0].message.content, "from flaky");
    const closed = await readyDeployment(stack, "flaky");
    assert.equal(closed?.breaker, "closed");
    assert.equal(closed.retry_in_ms, undefined);
    assert.equal(closed.in_flight, 0);
    assert.equal(typeof closed.total_ms, "number");
    assert.match(await (await fetch(metricsUrl)).text(), /sidegate_sidecar_deployment_breaker_state\{deployment="flaky"\} 0/);
    // Closed again: the next request goes straight to flaky.
    assert.equal((await chat(stack, "flaky-first", "[mock:words=1] after")).headers.get("x-sidegate-deployment"), "flaky");
  });
});
