import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_CATALOG_VERSION } from "../../control-plane/src/store/price-catalog";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

type Catalog = { version: string; live: boolean; created_by: string; prices: { provider: string; model: string; input_per_mtok: number; output_per_mtok: number }[] };

describe("versioned price catalog", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => stack.close());

  test("ships a dated default catalog covering the models the dev seed and README route", async () => {
    const c = (await stack.admin.ok("GET", "/api/v1/prices")) as Catalog;
    assert.equal(c.version, DEFAULT_CATALOG_VERSION);
    assert.ok(c.live);
    const models = new Set(c.prices.map((p) => p.model));
    for (const m of ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini", "claude-sonnet-4-5", "mock-echo"]) assert.ok(models.has(m), m);
  });

  test("a PUT records a new version, keeps the old one readable, and every sidecar prices requests with it", async () => {
    const chat = async () => {
      const res = await fetch(`${stack.sidecar.url}/v1/chat/completions`, {
        method: "POST", headers: { authorization: `Bearer ${stack.demoKey}`, "content-type": "application/json", "x-sidegate-tags": "suite=prices, run=1" },
        body: JSON.stringify({ model: "mock-echo", messages: [{ role: "user", content: "price me" }] }),
      });
      assert.equal(res.status, 200);
      return (await res.json()) as { id: string };
    };
    const put = await stack.admin.call("PUT", "/api/v1/prices", {
      version: "2026-12-03-test", note: "mock priced for the test",
      prices: [{ provider: "", model: "mock-echo", input_per_mtok: 500_000, output_per_mtok: 1_000_000 }],
    });
    assert.equal(put.status, 201);
    assert.equal((put.body as Catalog).created_by, "bootstrap");
    await chat();
    const { value } = await waitFor(async () => {
      const r = (await stack.admin.ok("GET", "/api/v1/usage/records?model=mock-echo&limit=1")) as { data: { cost_usd: number; prompt_tokens: number; completion_tokens: number; tags: Record<string, string> }[] };
      const rec = r.data[0];
      return rec && rec.cost_usd > 0 ? rec : undefined;
    }, 3000);
    assert.equal(value.cost_usd, value.prompt_tokens * 0.5 + value.completion_tokens, "cost from the new catalog (USD per token here)");
    assert.deepEqual(value.tags, { suite: "prices", run: "1" }, "request tags from x-sidegate-tags ride on the record");

    const versions = (await stack.admin.ok("GET", "/api/v1/prices/versions")) as { data: { version: string; live: boolean }[] };
    assert.deepEqual(versions.data.map((v) => [v.version, v.live]).slice(0, 2), [["2026-12-03-test", true], [DEFAULT_CATALOG_VERSION, false]]);
    const old = (await stack.admin.ok("GET", `/api/v1/prices?version=${DEFAULT_CATALOG_VERSION}`)) as Catalog;
    assert.equal(old.live, false);
    assert.ok(old.prices.length > 1);
    const dup = await stack.admin.call("PUT", "/api/v1/prices", { version: "2026-12-03-test", prices: [] });
    assert.equal(dup.status, 409);
    const bad = await stack.admin.call("PUT", "/api/v1/prices", {
      prices: [{ provider: "", model: "m", input_per_mtok: 1, output_per_mtok: 1 }, { provider: "", model: "m", input_per_mtok: 2, output_per_mtok: 2 }],
    });
    assert.equal(bad.status, 400);
  });
});
