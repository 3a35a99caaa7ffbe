import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ERROR_CODES as ADMIN_CODES } from "../../control-plane/src/errors/codes";
import { ERROR_CODES as SIDECAR_CODES } from "../../sidecar/src/errors/codes";
import { startStack, type Stack } from "../support/stack";
import type { HttpCase } from "./cases";
import { loadCorpus, runHttpCorpus, type HttpTarget } from "./corpus";

let stack: Stack;

before(async () => {
  stack = await startStack({
    logLevel: "silent",
    cpEnv: { SIDEGATE_CP_HTTP_REQUEST_TIMEOUT_MS: "1000" },
    sidecarEnv: { SIDEGATE_MAX_BODY_BYTES: "1048576", SIDEGATE_REQUEST_BODY_TIMEOUT_MS: "500" },
  });
});

after(async () => {
  await stack.close();
});

const probe = async (url: string, init: RequestInit = {}): Promise<void> => {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
};

function sidecarTarget(): HttpTarget {
  return {
    port: stack.sidecar.port,
    catalogue: new Set(SIDECAR_CODES),
    secrets: { key: stack.demoKey, admin: stack.adminToken },
    alive: () => probe(`${stack.sidecar.url}/healthz`),
  };
}

function adminTarget(): HttpTarget {
  return {
    port: stack.cp.httpPort,
    catalogue: new Set(Object.keys(ADMIN_CODES)),
    secrets: { key: stack.demoKey, admin: stack.adminToken },
    alive: () => probe(`${stack.cp.httpUrl}/api/v1/teams`, { headers: { authorization: `Bearer ${stack.adminToken}` } }),
  };
}

test("sidecar HTTP: every corpus case gets its catalogued answer, nothing crashes or stalls", async () => {
  const cases = loadCorpus<HttpCase>("sidecar-http.json");
  assert.ok(cases.length >= 50);
  assert.deepEqual(await runHttpCorpus(cases, sidecarTarget()), []);
});

test("admin HTTP API: every corpus case gets its catalogued answer, nothing crashes or stalls", async () => {
  const cases = loadCorpus<HttpCase>("admin-http.json");
  assert.deepEqual(await runHttpCorpus(cases, adminTarget()), []);
});
