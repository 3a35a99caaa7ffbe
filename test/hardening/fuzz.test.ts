import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ERROR_CODES as ADMIN_CODES } from "../../control-plane/src/errors/codes";
import { ERROR_CODES as SIDECAR_CODES } from "../../sidecar/src/errors/codes";
import { startStack, type Stack } from "../support/stack";
import { answerProblems } from "./check";
import { int, pick, randomBody, randomHeaderValue, seeded, mutate, type Random } from "./fuzz-input";
import { payloadBytes, sendGrpcCase, type GrpcCase } from "./grpc-cases";
import { rawExchange } from "./raw-http";

/** Each loop runs until either bound is hit. Reproduce a failure with SIDEGATE_FUZZ_SEED=<seed>. */
const LOOP_MS = 3000;
const LOOP_MAX = 1500;
const PARALLEL = 4;
const SEED = Number(process.env.SIDEGATE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

let stack: Stack;

before(async () => {
  stack = await startStack({ logLevel: "silent", sidecarEnv: { SIDEGATE_MAX_BODY_BYTES: "65536", SIDEGATE_REQUEST_BODY_TIMEOUT_MS: "1000" } });
});

after(async () => {
  await stack.close();
});

/** Runs `one` in PARALLEL lanes until the time or count bound; returns the problems and how many ran. */
async function loop(name: string, one: (r: Random) => Promise<string[]>): Promise<{ problems: string[]; runs: number }> {
  const deadline = Date.now() + LOOP_MS;
  const problems: string[] = [];
  let runs = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async (_, lane) => {
      const r = seeded(SEED + lane);
      while (Date.now() < deadline && runs < LOOP_MAX && problems.length < 10) {
        runs++;
        for (const p of await one(r)) problems.push(`${name} (seed ${SEED}, lane ${lane}): ${p}`);
      }
    }),
  );
  return { problems, runs };
}

function head(method: string, path: string, headers: Array<[string, string]>, body: Buffer): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, "host: 127.0.0.1", "connection: close", `content-length: ${body.length}`];
  for (const [k, v] of headers) lines.push(`${k}: ${v}`);
  return Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1"), body]);
}

async function httpOne(port: number, bytes: Buffer, catalogue: ReadonlySet<string>, relayed = false): Promise<string[]> {
  const answer = await rawExchange(port, { bytes, timeoutMs: 5000 });
  const problems = answerProblems(answer, { any: true }, catalogue, relayed);
  if (answer.status === 500) problems.push(`500 internal_error for ${JSON.stringify(bytes.toString("latin1").slice(0, 300))}`);
  return problems.map((p) => `${p} [request: ${JSON.stringify(bytes.toString("latin1").slice(0, 400))}]`);
}

const CHAT = { model: "mock-echo", messages: [{ role: "user", content: "fuzz" }] };
const CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "text/plain", "", "application/JSON", "application/json;"];

test("fuzz: the sidecar answers random and mutated requests well-formed, and stays up", async (t) => {
  const catalogue = new Set<string>(SIDECAR_CODES);
  const { problems, runs } = await loop("sidecar", (r) => {
    const headers: Array<[string, string]> = [];
    if (r() < 0.9) headers.push(["authorization", r() < 0.9 ? `Bearer ${stack.demoKey}` : `Bearer ${randomHeaderValue(r)}`]);
    const type = pick(r, CONTENT_TYPES);
    if (type !== "") headers.push(["content-type", type]);
    if (r() < 0.3) headers.push(["x-request-id", randomHeaderValue(r)]);
    const path = r() < 0.85 ? "/v1/chat/completions" : pick(r, ["/v1/models", "/healthz", "/readyz", "/v1/chat/completions/x", "/%ff"]);
    const method = r() < 0.9 ? "POST" : pick(r, ["GET", "PUT", "DELETE", "OPTIONS"]);
    // The mock provider's own 400s for bodies the sidecar passes on are relayed as they are.
    return httpOne(stack.sidecar.port, head(method, path, headers, randomBody(r, CHAT)), catalogue, true);
  });
  assert.deepEqual(problems, []);
  assert.ok(runs > 20, `ran ${runs}`);
  t.diagnostic(`runs: ${runs}`);
  assert.equal((await fetch(`${stack.sidecar.url}/healthz`)).status, 200);
});

const ADMIN_PATHS = ["/api/v1/teams", "/api/v1/teams/fz", "/api/v1/keys", "/api/v1/keys/fz", "/api/v1/keys/fz/rotate", "/api/v1/providers/fz",
  "/api/v1/deployments/fz", "/api/v1/routes/fz", "/api/v1/usage", "/api/v1/usage/records", "/api/v1/openapi.json", "/api/v1/teams/%00", "/api/v1/%zz"];
const ADMIN_BODIES = [{ name: "Fuzz" }, { id: "fz", team_id: "fz" }, { provider: "openai", secrets: { api_key: "k" } }, { targets: [{ deployment_id: "fz" }] },
  { provider: "openai", upstream_model: "m", credential_id: "fz" }];

test("fuzz: the admin API answers random and mutated requests well-formed, and stays up", async (t) => {
  const catalogue = new Set(Object.keys(ADMIN_CODES));
  const { problems, runs } = await loop("admin", (r) => {
    const headers: Array<[string, string]> = [];
    if (r() < 0.9) headers.push(["authorization", `Bearer ${stack.adminToken}`]);
    if (r() < 0.9) headers.push(["content-type", pick(r, CONTENT_TYPES)]);
    let path = pick(r, ADMIN_PATHS);
    if (r() < 0.3) path += `?${pick(r, ["group_by", "from", "to", "limit", "key_id", "bucket"])}=${encodeURIComponent(randomHeaderValue(r))}`;
    const method = pick(r, ["GET", "PUT", "POST", "DELETE", "PATCH"]);
    return httpOne(stack.cp.httpPort, head(method, path, headers, randomBody(r, pick(r, ADMIN_BODIES))), catalogue);
  });
  assert.deepEqual(problems, []);
  assert.ok(runs > 20, `ran ${runs}`);
  t.diagnostic(`runs: ${runs}`);
});

const GRPC_BASES: GrpcCase[] = [
  { name: "watch", method: "/sidegate.v1.PolicyService/Watch", stream: "server", auth: "ok", payload: { type: "WatchRequest", message: { sidecar_id: "fz", known_version: 3 } }, expect: [] },
  { name: "report", method: "/sidegate.v1.UsageService/Report", stream: "bidi", auth: "ok", payload: { type: "UsageBatch", message: { producer_id: "fz", seq: 1, records: [{ request_id: "r", prompt_tokens: 3 }] } }, expect: [] },
  { name: "lease", method: "/sidegate.v1.QuotaService/Lease", stream: "bidi", auth: "ok", payload: { type: "LeaseRequest", message: { sidecar_id: "fz", demands: [{ limit_key: "k", wanted: 5 }] } }, expect: [] },
];
const GRPC_OUTCOMES = new Set(["DATA", "END", "OK", "INVALID_ARGUMENT", "INTERNAL", "UNIMPLEMENTED", "UNAUTHENTICATED", "RESOURCE_EXHAUSTED", "CANCELLED"]);

test("fuzz: the gRPC services end random and mutated messages with a status, and stay up", async (t) => {
  const target = `127.0.0.1:${stack.cp.grpcPort}`;
  const { problems, runs } = await loop("grpc", async (r) => {
    const base = pick(r, GRPC_BASES);
    const c: GrpcCase = { ...base, auth: r() < 0.9 ? "ok" : pick(r, ["none", "wrong"] as const) };
    const bytes = mutate(r, payloadBytes(base.payload));
    const outcome = await sendGrpcCase(target, stack.sidecarToken, c, bytes, 5000);
    return GRPC_OUTCOMES.has(outcome) ? [] : [`${base.name} with ${bytes.toString("hex").slice(0, 80)}: ${outcome}`];
  });
  assert.deepEqual(problems, []);
  assert.ok(runs > 20, `ran ${runs}`);
  t.diagnostic(`runs: ${runs}`);
  const alive = await sendGrpcCase(target, stack.sidecarToken, GRPC_BASES[0] as GrpcCase, payloadBytes((GRPC_BASES[0] as GrpcCase).payload), 5000);
  assert.equal(alive, "DATA");
});

test("fuzz inputs are reproducible from the seed", () => {
  const a = seeded(7);
  const b = seeded(7);
  assert.deepEqual(Array.from({ length: 5 }, () => int(a, 1000)), Array.from({ length: 5 }, () => int(b, 1000)));
});
