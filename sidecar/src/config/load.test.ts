import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadSidecarConfig } from "./load";

describe("loadSidecarConfig", () => {
  it("applies contract defaults and freezes", () => {
    const c = loadSidecarConfig({ SIDEGATE_SIDECAR_ID: "x" });
    assert.equal(c.host, "127.0.0.1");
    assert.equal(c.port, 4000);
    assert.equal(c.controlPlaneTarget, "127.0.0.1:50051");
    assert.equal(c.maxBodyBytes, 10485760);
    assert.equal(c.upstreamTimeoutMs, 120000);
    assert.equal(c.allowUwsFallback, false);
    assert.equal(c.metricsPort, 9464);
    assert.equal(c.usageFlushMs, 200);
    assert.equal(c.tls, undefined);
    assert.ok(Object.isFrozen(c));
  });
  it("reads env vars and overrides", () => {
    const c = loadSidecarConfig(
      { SIDEGATE_PORT: "4100", SIDEGATE_ALLOW_UWS_FALLBACK: "true", SIDEGATE_CP_TLS_CA: "/ca.pem", SIDEGATE_METRICS_PORT: "0" },
      { host: "0.0.0.0" },
    );
    assert.deepEqual([c.port, c.allowUwsFallback, c.tls?.caFile, c.metricsPort, c.host], [4100, true, "/ca.pem", 0, "0.0.0.0"]);
    assert.ok(Object.isFrozen(c.tls));
  });
  it("reads the limit settings; fail modes per kind keep their defaults unless named", () => {
    const d = loadSidecarConfig({});
    assert.deepEqual(d.limitFallback, { rpm: "share", tpm: "share", concurrency: "share", budget: "closed" });
    assert.deepEqual([d.leaseRenewMs, d.rateBurstMs, d.reserveMaxTokens], [1000, 10_000, 4096]);
    const c = loadSidecarConfig({ SIDEGATE_LIMITS_FALLBACK: "tpm=open, budget=share", SIDEGATE_RATE_BURST_MS: "60000" });
    assert.deepEqual(c.limitFallback, { rpm: "share", tpm: "open", concurrency: "share", budget: "share" });
    assert.equal(c.rateBurstMs, 60_000);
    assert.throws(() => loadSidecarConfig({ SIDEGATE_LIMITS_FALLBACK: "rpm=maybe" }), /SIDEGATE_LIMITS_FALLBACK: expected kind=mode pairs/);
  });

  it("throws ConfigError with one readable line per problem", () => {
    try {
      loadSidecarConfig({ SIDEGATE_PORT: "abc", SIDEGATE_USAGE_FLUSH_MS: "0", SIDEGATE_ALLOW_UWS_FALLBACK: "maybe" });
      assert.fail("expected ConfigError");
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.ok(err.lines.includes('SIDEGATE_PORT: expected a port number 0-65535, got "abc"'), err.lines.join("|"));
      assert.equal(err.lines.length, 3);
    }
  });
});
