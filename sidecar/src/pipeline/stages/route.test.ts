import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RouteEntry } from "../../policy/snapshot";
import { DEFAULT_RETRY } from "../../routing/retry-policy";
import { NO_ROUTE_TIMEOUTS } from "../../routing/route-settings";
import type { PreparedTarget } from "../policy-types";
import { bearerToken } from "./authenticate";
import { selectTarget } from "./route";

const settings = { groups: [], retry: DEFAULT_RETRY, timeouts: NO_ROUTE_TIMEOUTS };
const t = (id: string) => ({ deploymentId: id, provider: "openai", upstreamModel: "m", timeoutMs: 0, prepared: {} as PreparedTarget, price: null });

describe("selectTarget", () => {
  it("takes the first target for priority routes", () => {
    const route: RouteEntry<PreparedTarget> = { model: "m", strategy: "priority", targets: [t("a"), t("b")], primary: [t("a")], cumulativeWeights: [1], ...settings };
    assert.equal(selectTarget(route, () => 0.99).deploymentId, "a");
  });
  it("picks by weight among the primary group for weighted routes", () => {
    const route: RouteEntry<PreparedTarget> = { model: "m", strategy: "weighted", targets: [t("a"), t("b")], primary: [t("a"), t("b")], cumulativeWeights: [3, 4], ...settings };
    assert.equal(selectTarget(route, () => 0).deploymentId, "a");
    assert.equal(selectTarget(route, () => 0.74).deploymentId, "a");
    assert.equal(selectTarget(route, () => 0.76).deploymentId, "b");
  });
});

describe("bearerToken", () => {
  it("extracts the token case-insensitively and rejects other schemes", () => {
    assert.equal(bearerToken("Bearer abc"), "abc");
    assert.equal(bearerToken("bearer  abc "), "abc");
    assert.equal(bearerToken("Basic abc"), "");
    assert.equal(bearerToken(""), "");
  });
});
