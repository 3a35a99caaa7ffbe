import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NO_LIMITS } from "./limits";
import { buildLimitIndex, parseLimitKey } from "./limit-keys";
import { key } from "./test-fixtures";
import type { PolicySnapshot } from "./types";

describe("limit keys", () => {
  it("parses scope, id, kind and a qualifier that may contain ':'", () => {
    assert.deepEqual(parseLimitKey("team:acme:rpm"), { scope: "team", id: "acme", kind: "rpm", qualifier: "" });
    assert.deepEqual(parseLimitKey("key:k1:tpm:ft:gpt-4o:org"), { scope: "key", id: "k1", kind: "tpm", qualifier: "ft:gpt-4o:org" });
    assert.deepEqual(parseLimitKey("global:*:concurrency:gpt-4o"), { scope: "global", id: "*", kind: "concurrency", qualifier: "gpt-4o" });
    for (const bad of ["", "team", "team:acme", "team:acme:rps", "global:*:rpm", "global:x:rpm:m", "team:acme:budget", "user:u:rpm", "team::rpm"]) {
      assert.equal(parseLimitKey(bad), undefined, bad);
    }
  });

  it("resolves against the snapshot: only existing, non-zero limits and hard budgets", () => {
    const snapshot: PolicySnapshot = {
      teams: [{
        id: "acme", name: "Acme", ownerUserId: "", allowedModels: [], metadata: {}, createdAtMs: 0, updatedAtMs: 0,
        limits: {
          ...NO_LIMITS, rpm: 60,
          modelLimits: { "gpt-4o": { rpm: 0, tpm: 1000, maxConcurrent: 2 } },
          budgets: [
            { id: "m", limitUsd: 5, period: "month", hard: true, timezone: "" },
            { id: "s", limitUsd: 5, period: "month", hard: false, timezone: "" },
          ],
        },
      }],
      keys: [key("k1", { teamId: "acme", limits: { ...NO_LIMITS, maxConcurrent: 3 } })],
      routes: [], deployments: [], credentials: [], prices: [], priceCatalogVersion: "",
      globalLimits: [{ model: "gpt-4o", rpm: 1000, tpm: 0, maxConcurrent: 0, createdAtMs: 0, updatedAtMs: 0 }],
    };
    const index = buildLimitIndex(snapshot);
    assert.deepEqual(index.resolve("team:acme:rpm"), { kind: "rpm", capacity: 60 });
    assert.equal(index.resolve("team:acme:tpm"), undefined);
    assert.deepEqual(index.resolve("team:acme:tpm:gpt-4o"), { kind: "tpm", capacity: 1000 });
    assert.deepEqual(index.resolve("key:k1:concurrency"), { kind: "concurrency", capacity: 3 });
    assert.deepEqual(index.resolve("global:*:rpm:gpt-4o"), { kind: "rpm", capacity: 1000 });
    assert.equal(index.resolve("global:*:rpm:other"), undefined);
    assert.equal(index.resolve("team:acme:budget:m")?.capacity, 5);
    assert.deepEqual(index.resolve("team:acme:budget:m")?.spendScope, { scope: "team", id: "acme" });
    assert.equal(index.resolve("team:acme:budget:s"), undefined, "soft budgets are not leased");
    assert.equal(index.resolve("team:gone:rpm"), undefined);
  });
});
