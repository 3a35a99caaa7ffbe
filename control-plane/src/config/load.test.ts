import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, isAbsolute } from "node:path";
import { ConfigError, loadControlPlaneConfig } from "./load";

const KEY = Buffer.alloc(32, 7).toString("base64");
const base = {
  SIDEGATE_ADMIN_TOKEN: "admin-token-0123456789",
  SIDEGATE_SIDECAR_TOKEN: "sidecar-token-0123456789",
  SIDEGATE_MASTER_KEY: KEY,
};

function issues(env: NodeJS.ProcessEnv): string[] {
  try {
    loadControlPlaneConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return [...err.issues];
  }
  assert.fail("expected a ConfigError");
}

test("defaults", () => {
  const c = loadControlPlaneConfig(base);
  assert.equal(c.grpcHost, "127.0.0.1");
  assert.equal(c.grpcPort, 50051);
  assert.equal(c.httpHost, "127.0.0.1");
  assert.equal(c.httpPort, 4100);
  assert.equal(c.logLevel, "info");
  assert.ok(isAbsolute(c.dataDir) && c.dataDir.endsWith(".sidegate"));
  assert.deepEqual(c.sidecarTokens, ["sidecar-token-0123456789"]);
  assert.equal(c.masterKey.length, 32);
  assert.equal(c.tls, undefined);
  assert.ok(Object.isFrozen(c));
  assert.ok(Object.isFrozen(c.sidecarTokens));
});

test("addresses, token lists and log level", () => {
  const c = loadControlPlaneConfig({
    ...base,
    SIDEGATE_CP_GRPC: "0.0.0.0:0",
    SIDEGATE_CP_HTTP: "[::1]:8080",
    SIDEGATE_SIDECAR_TOKENS: "second-token-0123456789, third-token-0123456789",
    SIDEGATE_LOG_LEVEL: "debug",
  });
  assert.equal(c.grpcHost, "0.0.0.0");
  assert.equal(c.grpcPort, 0);
  assert.equal(c.httpHost, "::1");
  assert.equal(c.httpPort, 8080);
  assert.deepEqual(c.sidecarTokens, ["sidecar-token-0123456789", "second-token-0123456789", "third-token-0123456789"]);
  assert.equal(c.logLevel, "debug");
});

test("readable issues name the variable", () => {
  assert.match(issues({ ...base, SIDEGATE_CP_HTTP: "localhost:abc" }).join("\n"), /^SIDEGATE_CP_HTTP: expected host:port with a port number 0-65535, got "localhost:abc"$/m);
  assert.match(issues({ ...base, SIDEGATE_CP_GRPC: "h:70000" }).join("\n"), /SIDEGATE_CP_GRPC: .*0-65535/);
  assert.match(issues({ ...base, SIDEGATE_LOG_LEVEL: "loud" }).join("\n"), /SIDEGATE_LOG_LEVEL: expected one of/);
  assert.match(issues({ ...base, SIDEGATE_ADMIN_TOKEN: undefined }).join("\n"), /SIDEGATE_ADMIN_TOKEN: required/);
  assert.match(issues({ ...base, SIDEGATE_ADMIN_TOKEN: "short" }).join("\n"), /SIDEGATE_ADMIN_TOKEN: must be at least 16/);
  assert.match(issues({ ...base, SIDEGATE_SIDECAR_TOKEN: undefined }).join("\n"), /SIDEGATE_SIDECAR_TOKEN: required/);
});

test("admin token value never appears in an error", () => {
  const text = issues({ ...base, SIDEGATE_ADMIN_TOKEN: "tiny-secret" }).join("\n");
  assert.ok(!text.includes("tiny-secret"));
});

test("master key: missing, bad, both, file", () => {
  assert.match(issues({ ...base, SIDEGATE_MASTER_KEY: undefined }).join("\n"), /SIDEGATE_MASTER_KEY: required/);
  assert.match(issues({ ...base, SIDEGATE_MASTER_KEY: Buffer.alloc(16).toString("base64") }).join("\n"), /got 16 bytes/);
  assert.match(issues({ ...base, SIDEGATE_MASTER_KEY: "!!!" }).join("\n"), /invalid base64/);
  const dir = mkdtempSync(join(tmpdir(), "sidegate-cfg-"));
  const file = join(dir, "master.key");
  writeFileSync(file, `${KEY}\n`);
  assert.match(issues({ ...base, SIDEGATE_MASTER_KEY_FILE: file }).join("\n"), /not both/);
  const c = loadControlPlaneConfig({ ...base, SIDEGATE_MASTER_KEY: undefined, SIDEGATE_MASTER_KEY_FILE: file });
  assert.deepEqual(c.masterKey, Buffer.alloc(32, 7));
  assert.match(issues({ ...base, SIDEGATE_MASTER_KEY: undefined, SIDEGATE_MASTER_KEY_FILE: join(dir, "nope") }).join("\n"), /SIDEGATE_MASTER_KEY_FILE: cannot read/);
});

test("TLS needs cert and key; files are read", () => {
  assert.match(issues({ ...base, SIDEGATE_CP_TLS_CERT: "/x" }).join("\n"), /both SIDEGATE_CP_TLS_CERT and SIDEGATE_CP_TLS_KEY/);
  const dir = mkdtempSync(join(tmpdir(), "sidegate-tls-"));
  writeFileSync(join(dir, "c.pem"), "CERT");
  writeFileSync(join(dir, "k.pem"), "KEY");
  writeFileSync(join(dir, "ca.pem"), "CA");
  const c = loadControlPlaneConfig({
    ...base, SIDEGATE_CP_TLS_CERT: join(dir, "c.pem"), SIDEGATE_CP_TLS_KEY: join(dir, "k.pem"), SIDEGATE_CP_TLS_CLIENT_CA: join(dir, "ca.pem"),
  });
  assert.equal(c.tls?.cert.toString(), "CERT");
  assert.equal(c.tls?.key.toString(), "KEY");
  assert.equal(c.tls?.clientCa?.toString(), "CA");
});

test("overrides win", () => {
  const c = loadControlPlaneConfig(base, { grpcPort: 0, sidecarTokens: ["override-token-0123456789"] });
  assert.equal(c.grpcPort, 0);
  assert.deepEqual(c.sidecarTokens, ["override-token-0123456789"]);
});
