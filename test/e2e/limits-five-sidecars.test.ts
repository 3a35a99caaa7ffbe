import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startFleet, type Fleet } from "../support/fleet";
import { assertShareShort, chat, type ChatAnswer as Answer } from "../support/chat";
import { waitFor } from "../support/wait";

/** gpt-4o in the default price catalog, USD per token. */
const INPUT_USD = 2.5 / 1e6;
const OUTPUT_USD = 10 / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("budget accuracy under concurrency: 5 sidecar processes, one control plane", () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet(5, { sidecarEnv: { SIDEGATE_LEASE_RENEW_MS: "200" } });
  });
  after(() => fleet.close());

  test("200 concurrent requests against one team budget: recorded spend ≤ budget + bound; short shares → rate_limit_exceeded; then 429 insufficient_quota everywhere", async (t) => {
    const budget = 0.2;
    await fleet.admin.ok("PUT", "/api/v1/teams/fleet", { name: "Fleet", limits: { budgets: [{ id: "total", limit_usd: budget, period: "lifetime", hard: true }] } });
    const { key } = (await fleet.admin.ok("POST", "/api/v1/keys", { id: "fleet-key", team_id: "fleet" })) as { key: string };
    // Leases are taken up front when the snapshot arrives; give the five sidecars a moment to hold one.
    await waitFor(async () => {
      const l = (await fleet.admin.ok("GET", "/api/v1/leases")) as { data: { limit_key: string; holders: unknown[] }[] };
      return l.data.find((x) => x.limit_key === "team:fleet:budget:total")?.holders.length === 5;
    }, 5000);

    // Realistic usage: 50-299 completion words per answer, max_tokens 256 (some answers are cut there).
    const maxTokens = 256;
    const reservations = new Map<string, number>();
    const send = (i: number, url: string): Promise<Answer> => {
      const content = `[mock:words=${50 + ((i * 37) % 250)}] item ${i} ${"lorem ".repeat(i % 7)}`;
      const body = JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content }], max_tokens: maxTokens });
      reservations.set(`b-${i}`, Math.ceil(Buffer.byteLength(body) / 4) * INPUT_USD + maxTokens * OUTPUT_USD);
      return chat(url, key, content, { model: "gpt-4o", max_tokens: maxTokens }, { "x-request-id": `b-${i}` }).then((a) => {
        if (a.status !== 200 && a.body.error?.code !== "insufficient_quota") assertShareShort(a);
        return a;
      });
    };
    const statuses = (await Promise.all(Array.from({ length: 200 }, (_, i) => send(i, (fleet.sidecars[i % 5] ?? fleet.sidecars[0])!.url)))).map((a) => a.status);
    const admitted = statuses.filter((s) => s === 200).length;
    assert.ok(statuses.every((s) => s === 200 || s === 429));

    // Exhaustion: keep asking every sidecar until all five have refused for 6 rounds in a row (longer than
    // two lease renewals, so no balance is still on its way to any of them).
    let sent = 200;
    let refusedRounds = 0;
    for (let round = 0; refusedRounds < 6; round++) {
      assert.ok(round < 150, "every sidecar ends up answering insufficient_quota");
      const answers = await Promise.all(fleet.sidecars.map((sc) => send(sent++, sc.url)));
      refusedRounds = answers.every((a) => a.body.error?.code === "insufficient_quota") ? refusedRounds + 1 : 0;
      await sleep(100);
    }

    const { value: records } = await waitFor(async () => {
      const r = (await fleet.admin.ok("GET", "/api/v1/usage/records?key_id=fleet-key&limit=1000")) as {
        data: { request_id: string; cost_usd: number; status: number }[];
      };
      return r.data.length === sent ? r.data : null;
    }, 10_000);
    const spent = records.reduce((s, r) => s + r.cost_usd, 0);
    // The documented bound while the control plane is reachable: Σ max(0, actual − reserved) over requests.
    const bound = records.reduce((s, r) => s + Math.max(0, r.cost_usd - (reservations.get(r.request_id) ?? 0)), 0);
    t.diagnostic(`spent ${spent.toFixed(6)} of ${budget} (bound ${bound}); admitted ${admitted}/200 in the burst, ${sent} requests in all`);
    assert.ok(spent <= budget + bound + 1e-9, `spent ${spent} > budget ${budget} + bound ${bound}`);
    assert.ok(spent >= budget * 0.8, `most of the budget was usable: ${spent} (admitted ${admitted} of 200)`);
    assert.ok(admitted < 200, "the budget ran out during the burst");
  });
});

describe("global RPM across 5 sidecars with uneven traffic", () => {
  let fleet: Fleet;
  const burstMs = 1000;
  before(async () => {
    fleet = await startFleet(5, { sidecarEnv: { SIDEGATE_LEASE_RENEW_MS: "200", SIDEGATE_RATE_BURST_MS: String(burstMs) } });
  });
  after(() => fleet.close());

  test("admitted per window ≤ limit·W/60 + 2·limit·burst/60 + N, and the idle sidecars' share moves to the busy ones", async (t) => {
    const limit = 600;
    await fleet.admin.ok("PUT", "/api/v1/model-limits/mock-echo", { rpm: limit });
    await fleet.admin.ok("PUT", "/api/v1/teams/rpm", { name: "RPM" });
    const { key } = (await fleet.admin.ok("POST", "/api/v1/keys", { team_id: "rpm" })) as { key: string };
    const [busyA, busyB, ...quiet] = fleet.sidecars;
    assert.ok(busyA && busyB);

    const counts = new Map<string, { ok: number; limited: number }>();
    let running = true;
    const loop = async (url: string, pauseMs: number): Promise<void> => {
      while (running) {
        const a = await chat(url, key, "x");
        const c = counts.get(url) ?? { ok: 0, limited: 0 };
        if (a.status === 200) c.ok++;
        else {
          assert.equal(a.body.error?.code, "rate_limit_exceeded");
          c.limited++;
        }
        counts.set(url, c);
        if (pauseMs > 0) await sleep(pauseMs);
      }
    };
    const loops: Promise<void>[] = [];
    const started = Date.now();
    for (let i = 0; i < 6; i++) loops.push(loop(busyA.url, 0), loop(busyB.url, 0));
    for (const q of quiet) loops.push(loop(q.url, 500));
    await sleep(5000);
    running = false;
    await Promise.all(loops);
    const windowS = (Date.now() - started) / 1000;

    const total = [...counts.values()].reduce((s, c) => s + c.ok, 0);
    const busy = (counts.get(busyA.url)?.ok ?? 0) + (counts.get(busyB.url)?.ok ?? 0);
    const bound = (limit * windowS) / 60 + (2 * limit * burstMs) / 60_000 + fleet.sidecars.length;
    t.diagnostic(`admitted ${total} in ${windowS.toFixed(2)} s (limit·W/60 = ${((limit * windowS) / 60).toFixed(1)}, bound ${bound.toFixed(1)}); busy ${busy}`);
    assert.ok(total <= bound, `admitted ${total} in ${windowS.toFixed(2)} s > bound ${bound.toFixed(1)}`);
    assert.ok((counts.get(busyA.url)?.limited ?? 0) > 0, "the busy sidecars are held to the global limit");
    assert.ok(busy >= 0.6 * ((limit * windowS) / 60), `busy sidecars got most of the limit: ${busy} of ${total}`);
  });
});

describe("control plane restart with 3 sidecar processes", () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet(3, { sidecarEnv: { SIDEGATE_LEASE_RENEW_MS: "200" }, cpEnv: { SIDEGATE_LEASE_TTL_MS: "2000" } });
  });
  after(() => fleet.close());

  test("the restarted control plane rebuilds its view from what sidecars report and never grants more than the limit", async () => {
    const limit = 900;
    await fleet.admin.ok("PUT", "/api/v1/teams/restart", { name: "R", limits: { rpm: limit } });
    const { key } = (await fleet.admin.ok("POST", "/api/v1/keys", { team_id: "restart" })) as { key: string };
    let running = true;
    let served = 0;
    const loop = async (url: string): Promise<void> => {
      while (running) {
        if ((await chat(url, key, "x")).status === 200) served++;
        await sleep(20);
      }
    };
    const loops = fleet.sidecars.map((s) => loop(s.url));
    type Leases = { settled: boolean; data: { limit_key: string; outstanding: number; holders: unknown[] }[] };
    const leases = async (): Promise<Leases> => (await fleet.admin.ok("GET", "/api/v1/leases")) as Leases;
    const team = (l: Leases) => l.data.find((x) => x.limit_key === "team:restart:rpm");
    await waitFor(async () => team(await leases())?.holders.length === 3, 5000);

    await fleet.restartControlPlane();
    const seen: { settled: boolean; outstanding: number; holders: number }[] = [];
    const until = Date.now() + 3500;
    while (Date.now() < until) {
      const l = await leases();
      const t = team(l);
      seen.push({ settled: l.settled, outstanding: t?.outstanding ?? 0, holders: t?.holders.length ?? 0 });
      await sleep(50);
    }
    running = false;
    await Promise.all(loops);
    assert.equal(seen[0]?.settled, false, "a restart within the lease ttl starts unsettled");
    assert.equal(seen.at(-1)?.settled, true);
    assert.ok(seen.some((s) => !s.settled && s.holders === 3), "all three sidecars reported their leases while unsettled");
    for (const s of seen) assert.ok(s.outstanding <= limit + 1e-6, `outstanding ${s.outstanding} > ${limit}`);
    assert.ok(served > 0);
  });
});
