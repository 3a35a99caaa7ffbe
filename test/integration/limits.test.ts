import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";
import { assertShareShort, chat, type ChatAnswer as Answer } from "../support/chat";

async function createKey(stack: Stack, team: string, body: Record<string, unknown> = {}): Promise<string> {
  return ((await stack.admin.ok("POST", "/api/v1/keys", { team_id: team, ...body })) as { key: string }).key;
}

describe("limits and budgets on one sidecar (real control plane, real gRPC)", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      logLevel: "warn",
      sidecarEnv: { SIDEGATE_RATE_BURST_MS: "60000", SIDEGATE_LEASE_RENEW_MS: "200" },
      cpEnv: { SIDEGATE_LEASE_TTL_MS: "1500" },
    });
    await stack.admin.ok("PUT", "/api/v1/routes/gpt-4o", { targets: [{ deployment_id: "mock" }] });
  });
  after(() => stack.close());

  test("RPM: the whole limit is usable by one busy sidecar, then 429 rate_limit_exceeded with retry-after; headers on every answer", async () => {
    await stack.admin.ok("PUT", "/api/v1/teams/rpm-team", { name: "RPM" });
    const key = await createKey(stack, "rpm-team", { limits: { rpm: 3 } });
    const answers: Answer[] = [];
    for (let i = 0; i < 4; i++) answers.push(await chat(stack.sidecar.url, key, `hi ${i}`));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 429]);
    assert.deepEqual(answers.map((a) => a.headers.get("x-ratelimit-limit-requests")), ["3", "3", "3", "3"]);
    assert.deepEqual(answers.map((a) => a.headers.get("x-ratelimit-remaining-requests")), ["2", "1", "0", "0"]);
    assert.match(answers[0]?.headers.get("x-ratelimit-reset-requests") ?? "", /^\d+(\.\d)?s$|^\d+ms$/);
    const rejected = answers[3] as Answer;
    assert.deepEqual(rejected.body.error && [rejected.body.error.code, rejected.body.error.type], ["rate_limit_exceeded", "requests"]);
    assert.ok(Number(rejected.headers.get("retry-after")) >= 1);
    assert.equal(answers[0]?.headers.get("retry-after"), null);
  });

  test("TPM counts estimated input + max_tokens at admission and gives back what was not used", async () => {
    await stack.admin.ok("PUT", "/api/v1/teams/tpm-team", { name: "TPM", limits: { tpm: 1000 } });
    const key = await createKey(stack, "tpm-team");
    const pending = chat(stack.sidecar.url, key, "[mock:latency=300] short", { max_tokens: 900 });
    await new Promise((r) => setTimeout(r, 100));
    const meanwhile = await chat(stack.sidecar.url, key, "short", { max_tokens: 200 });
    assert.equal(meanwhile.status, 429, "900 + the input estimate are reserved while the first is in flight");
    assert.equal(meanwhile.body.error?.code, "rate_limit_exceeded");
    assert.equal(meanwhile.headers.get("x-ratelimit-limit-tokens"), "1000");
    assert.ok(Number(meanwhile.headers.get("x-ratelimit-remaining-tokens")) < 100);
    assert.equal((await pending).status, 200);
    const second = await chat(stack.sidecar.url, key, "short", { max_tokens: 900 });
    assert.equal(second.status, 200, "the unused part of the first reservation was given back");
    const streamed = await fetch(`${stack.sidecar.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "mock-echo", messages: [{ role: "user", content: "s" }], stream: true, max_tokens: 10 }),
    });
    assert.equal(streamed.status, 200);
    assert.equal(streamed.headers.get("content-type"), "text/event-stream");
    assert.equal(streamed.headers.get("x-ratelimit-limit-tokens"), "1000", "streams carry the headers too");
    assert.match(streamed.headers.get("x-ratelimit-reset-tokens") ?? "", /^(\d+ms|\d+(\.\d)?s|\d+m\d+s)$/);
    await streamed.text();
  });

  test("per-model limits of a team and org-wide limits of a model apply on top of the key's", async () => {
    await stack.admin.ok("PUT", "/api/v1/teams/model-team", { name: "M", limits: { model_limits: { "mock-echo": { rpm: 2 } } } });
    const key = await createKey(stack, "model-team");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat(stack.sidecar.url, key, "x")).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const other = await createKey(stack, "demo");
    await stack.admin.ok("PUT", "/api/v1/model-limits/gpt-4o", { rpm: 1 });
    const limits = (await stack.admin.ok("GET", "/api/v1/model-limits")) as { data: { model: string; rpm: number }[] };
    assert.deepEqual(limits.data.map((l) => [l.model, l.rpm]), [["gpt-4o", 1]]);
    const g = [];
    for (let i = 0; i < 2; i++) g.push((await chat(stack.sidecar.url, other, "x", { model: "gpt-4o" })).status);
    assert.deepEqual(g, [200, 429]);
    await stack.admin.ok("DELETE", "/api/v1/model-limits/gpt-4o");
    const bad = await stack.admin.call("PUT", "/api/v1/model-limits/gpt-4o", { rpm: -1 });
    assert.equal(bad.status, 400);
  });

  test("max_concurrent: a second request while one is in flight is rejected", async () => {
    await stack.admin.ok("PUT", "/api/v1/teams/conc-team", { name: "C" });
    const key = await createKey(stack, "conc-team", { limits: { max_concurrent: 1 } });
    const slow = chat(stack.sidecar.url, key, "[mock:latency=400] slow");
    await new Promise((r) => setTimeout(r, 100));
    const second = await chat(stack.sidecar.url, key, "fast");
    assert.equal(second.status, 429);
    assert.equal(second.body.error?.code, "rate_limit_exceeded");
    assert.equal((await slow).status, 200);
    assert.equal((await chat(stack.sidecar.url, key, "again")).status, 200, "the slot was released");
  });

  test("hard budget: spent from leased chunks, reserved then reconciled; used up → 429 insufficient_quota (a short share → rate_limit_exceeded); recorded spend ≤ budget", async () => {
    await stack.admin.ok("PUT", "/api/v1/teams/budget-team", {
      name: "B", limits: { budgets: [{ id: "daily", limit_usd: 0.01, period: "day", hard: true, timezone: "Europe/Berlin" }] },
    });
    const key = await createKey(stack, "budget-team", { id: "budget-key" });
    await waitFor(async () => (await chat(stack.sidecar.url, key, "[mock:words=1] warm", { model: "gpt-4o", max_tokens: 1 })).status === 200, 3000);
    const statuses: number[] = [];
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const a = await chat(stack.sidecar.url, key, "[mock:words=200] spend", { model: "gpt-4o", max_tokens: 200 });
      statuses.push(a.status);
      if (a.status === 429) {
        codes.push(a.body.error?.code ?? "");
        if (a.body.error?.code === "insufficient_quota") assert.equal(a.body.error.type, "insufficient_quota");
        else assertShareShort(a);
        assert.ok(Number(a.headers.get("retry-after")) >= 1);
      }
    }
    const ok = statuses.filter((s) => s === 200).length;
    assert.ok(ok >= 3 && ok <= 5, `about 0.01 / 0.00205 requests fit: ${statuses.join(",")}`);
    assert.equal(statuses.at(-1), 429);
    assert.equal(codes.at(-1), "insufficient_quota", `the budget ends used up: ${codes.join(",")}`);
    const { value } = await waitFor(async () => {
      const recs = (await stack.admin.ok("GET", "/api/v1/usage/records?key_id=budget-key&limit=100")) as { data: { cost_usd: number }[] };
      return recs.data.length >= 13 ? recs.data : null;
    }, 3000);
    const spent = value.reduce((s, r) => s + r.cost_usd, 0);
    assert.ok(spent <= 0.01 + 1e-12, `spent ${spent}`);
    assert.ok(spent >= 0.006, `the budget was used, not just refused: ${spent}`);
  });

  test("soft budget: requests keep flowing; the control plane logs and counts the alert", async () => {
    await stack.admin.ok("PUT", "/api/v1/teams/soft-team", {
      name: "S", limits: { budgets: [{ id: "soft", limit_usd: 0.001, period: "month", hard: false }] },
    });
    const key = await createKey(stack, "soft-team");
    for (let i = 0; i < 2; i++) {
      assert.equal((await chat(stack.sidecar.url, key, "[mock:words=200] x", { model: "gpt-4o", max_tokens: 200 })).status, 200);
    }
    await waitFor(() => stack.cpLogs.text().includes("soft budget exceeded"), 3000);
    const metrics = await (await fetch(`${stack.cp.httpUrl}/metrics`)).text();
    assert.match(metrics, /sidegate_cp_soft_budget_exceeded_total\{scope="team"\} 1/);
  });

  test("a stream the client abandons is charged at least its input", async () => {
    await stack.admin.ok("PUT", "/api/v1/teams/cancel-team", {
      name: "X", limits: { budgets: [{ id: "b", limit_usd: 1, period: "day", hard: true }] },
    });
    const key = await createKey(stack, "cancel-team", { id: "cancel-key" });
    await waitFor(async () => (await chat(stack.sidecar.url, key, "warm", { model: "gpt-4o", max_tokens: 1 })).status === 200, 3000);
    const content = `[mock:chunk-delay=300] ${"long prompt ".repeat(400)}`;
    const body = JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content }], stream: true, max_tokens: 100 });
    const abort = new AbortController();
    const res = await fetch(`${stack.sidecar.url}/v1/chat/completions`, {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": "cancelled-1" },
      body, signal: abort.signal,
    });
    assert.equal(res.status, 200);
    const reader = res.body?.getReader();
    await reader?.read();
    abort.abort();
    const { value } = await waitFor(async () => {
      const recs = (await stack.admin.ok("GET", "/api/v1/usage/records?key_id=cancel-key&limit=10")) as { data: { request_id: string; status: number; cost_usd: number }[] };
      return recs.data.find((r) => r.request_id === "cancelled-1") ?? null;
    }, 5000);
    assert.equal(value.status, 499);
    const inputUsd = (Math.ceil(Buffer.byteLength(body) / 4) * 2.5) / 1e6;
    assert.ok(value.cost_usd >= inputUsd - 1e-12, `charged ${value.cost_usd}, input ${inputUsd}`);
  });

  test("control plane unreachable: rate limits keep their share, hard budgets close once the lease expires", async () => {
    await stack.admin.ok("PUT", "/api/v1/teams/outage-team", {
      name: "O", limits: { rpm: 1000, budgets: [{ id: "b", limit_usd: 5, period: "lifetime", hard: true }] },
    });
    const key = await createKey(stack, "outage-team");
    await waitFor(async () => (await chat(stack.sidecar.url, key, "x", { model: "gpt-4o", max_tokens: 5 })).status === 200, 3000);
    await stack.cp.close();
    const during = await chat(stack.sidecar.url, key, "x", { model: "gpt-4o", max_tokens: 5 });
    assert.equal(during.status, 200, "what is leased is still spent");
    const { value: refused } = await waitFor(async () => {
      const a = await chat(stack.sidecar.url, key, "x", { model: "gpt-4o", max_tokens: 5 });
      return a.status === 429 ? a : null;
    }, 4000);
    assertShareShort(refused); // the budget has $5 left: this sidecar just holds none of it now
    const plain = await chat(stack.sidecar.url, stack.demoKey, "no limits here");
    assert.equal(plain.status, 200, "requests without a budget are unaffected");
  });
});
