/** checklist #60: `GET /v1/models` answers the OpenAI list shape with what the key may use. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import type { PolicySnapshot, VirtualKey } from "../../../../proto";
import { buildPolicyIndex, hashSecret } from "../../policy/snapshot";
import type { PreparedTarget } from "../../pipeline/policy-types";
import { modelListBody } from "./models";

const key = (id: string, allowed: string[]): VirtualKey => ({
  id, hash: createHash("sha256").update(id).digest(), team_id: "", user_id: "", project_id: "", allowed_models: allowed, expires_at_ms: 0, metadata: {}, display: "", previous_hashes: [],
});
const dep = (id: string, provider: string, direct: string[]) => ({
  id, provider, base_url: "http://x/v1", upstream_model: "", credential_id: "", region: "", options: {}, timeout_ms: 0, direct_models: direct,
});

const snapshot: PolicySnapshot = {
  teams: [],
  keys: [key("all", []), key("some", ["team-default", "openai/gpt-4o-mini"]), key("wild", ["gemini/*"])],
  routes: [
    { model: "team-default", strategy: "", targets: [{ deployment_id: "o", weight: 1, priority: 0 }] },
    { model: "claude-sonnet-4-5", strategy: "", targets: [{ deployment_id: "a", weight: 1, priority: 0 }] },
  ],
  deployments: [dep("o", "openai", ["gpt-4o-mini", "*"]), dep("a", "anthropic", []), dep("g", "gemini", ["gemini-2.5-flash"])],
  credentials: [],
  prices: [],
  price_catalog_version: "", global_model_limits: {},
};
const policy = buildPolicyIndex(7, 1_767_225_600_000, snapshot, () => ({}) as PreparedTarget);

function list(keyId: string): { object: string; data: { id: string; object: string; created: number; owned_by: string }[] } {
  const entry = policy.keys.get(hashSecret(keyId));
  assert.ok(entry !== undefined);
  return JSON.parse(modelListBody(policy, entry).toString("utf8")) as ReturnType<typeof list>;
}

describe("GET /v1/models body", () => {
  it("lists routes and enumerable direct addresses in the OpenAI list shape (checklist #60)", () => {
    const body = list("all");
    assert.equal(body.object, "list");
    assert.deepEqual(body.data.map((m) => m.id), ["claude-sonnet-4-5", "gemini/gemini-2.5-flash", "openai/gpt-4o-mini", "team-default"]);
    for (const m of body.data) {
      assert.equal(m.object, "model");
      assert.equal(m.created, 1_767_225_600);
      assert.equal(typeof m.owned_by, "string");
    }
  });

  it("filters by the key's allow-list, which names direct models by address or <provider>/*", () => {
    assert.deepEqual(list("some").data.map((m) => m.id), ["openai/gpt-4o-mini", "team-default"]);
    assert.deepEqual(list("wild").data.map((m) => m.id), ["gemini/gemini-2.5-flash"]);
  });
});
