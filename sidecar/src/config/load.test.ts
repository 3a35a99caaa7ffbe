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
