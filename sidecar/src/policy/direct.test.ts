import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import type { PolicySnapshot } from "../../../proto";
import { mayUseModel } from "./direct";
import { buildPolicyIndex, type DeploymentPreparer } from "./snapshot";

const dep = (id: string, provider: string, direct: string[], credential = "") => ({
  id, provider, base_url: "http://x/v1", upstream_model: "", credential_id: credential, region: "", options: {}, timeout_ms: 0, direct_models: direct,
});

function snapshot(deployments: ReturnType<typeof dep>[]): PolicySnapshot {
  return {
    teams: [],
    keys: [{ id: "k", hash: createHash("sha256").update("s").digest(), team_id: "", user_id: "", project_id: "", allowed_models: [], expires_at_ms: 0, metadata: {}, display: "", previous_hashes: [] }],
    routes: [{ model: "openai/gpt-4o", strategy: "", targets: [{ deployment_id: "routed", weight: 1, priority: 0 }] }],
    deployments,
    credentials: [],
    prices: [{ model: "gpt-4o-mini", provider: "openai", input_per_mtok: 0.15, output_per_mtok: 0.6, cached_input_per_mtok: 0, cache_write_per_mtok: 0, reasoning_per_mtok: 0 }],
    price_catalog_version: "v", global_model_limits: {},
  };
}

const prepare: DeploymentPreparer<string> = (d) => (d.provider === "unknown" ? null : `prepared:${d.id}`);

describe("direct <provider>/<model> addressing", () => {
  const index = buildPolicyIndex(
    1,
    0,
    snapshot([dep("routed", "openai", []), dep("any-openai", "openai", ["*"]), dep("mini", "openai", ["gpt-4o-mini"]), dep("g", "gemini", ["gemini-2.5-flash", "models/x"]), dep("u", "unknown", ["*"])]),
    prepare,
  );

  it("resolves exact entries before the provider's wildcard, with the upstream model and its price", () => {
    const mini = index.direct.resolve("openai/gpt-4o-mini");
    assert.equal(mini?.deploymentId, "mini");
    assert.equal(mini?.upstreamModel, "gpt-4o-mini");
    assert.equal(mini?.price?.inputPerMtok, 0.15);
    const other = index.direct.resolve("openai/o3");
    assert.equal(other?.deploymentId, "any-openai");
    assert.equal(other?.upstreamModel, "o3");
    assert.equal(other?.prepared, "prepared:any-openai");
    assert.equal(index.direct.resolve("openai/o3"), other, "wildcard targets are reused within a snapshot");
    assert.equal(index.direct.resolve("gemini/models/x")?.upstreamModel, "models/x", "the model part may contain '/'");
  });

  it("answers null for unknown providers, unlisted models, unsupported deployments and malformed addresses", () => {
    for (const address of ["gemini/gemini-pro", "anthropic/claude", "unknown/m", "openai/", "/gpt-4o", "gpt-4o", ""]) {
      assert.equal(index.direct.resolve(address), null, address);
    }
  });

  it("lists enumerable addresses next to routes; '*' entries are not listed", () => {
    assert.deepEqual(index.models, ["gemini/gemini-2.5-flash", "gemini/models/x", "openai/gpt-4o", "openai/gpt-4o-mini"]);
    assert.ok(index.routes.has("openai/gpt-4o"), "a route named like an address stays a route");
  });

  it("keeps the first deployment for an entry listed twice and warns instead of rejecting the snapshot", () => {
    const twice = buildPolicyIndex(1, 0, snapshot([dep("routed", "openai", []), dep("a", "openai", ["*", "m"]), dep("b", "openai", ["m", "*"])]), prepare);
    assert.equal(twice.direct.resolve("openai/m")?.deploymentId, "a");
    assert.equal(twice.direct.resolve("openai/z")?.deploymentId, "a");
    assert.equal(twice.warnings.filter((w) => w.startsWith("deployment b:")).length, 2);
  });
});

describe("mayUseModel", () => {
  it("accepts everything without a list, exact names, and <provider>/* for direct addresses", () => {
    assert.equal(mayUseModel(null, "openai/gpt-4o"), true);
    const list = new Set(["gpt-4o", "openai/gpt-4o-mini", "gemini/*"]);
    assert.equal(mayUseModel(list, "gpt-4o"), true);
    assert.equal(mayUseModel(list, "openai/gpt-4o-mini"), true);
    assert.equal(mayUseModel(list, "gemini/gemini-2.5-flash"), true);
    assert.equal(mayUseModel(list, "openai/gpt-4o"), false);
    assert.equal(mayUseModel(list, "openai/*"), false);
    assert.equal(mayUseModel(list, "team-default"), false);
  });
});
