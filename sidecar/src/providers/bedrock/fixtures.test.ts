/**
 * Keeps the fixtures reproducible. Stream fixtures describe their upstream as `events` (+ `corrupt`,
 * `truncate`); `stream.base64` must equal what AWS's EventStreamCodec.encode produces for them. Fixtures
 * with `signOracle: true` pin the SigV4 headers to what @smithy/signature-v4 computes for the request the
 * adapter builds. Regenerate after editing a fixture:
 *   npx tsc -p . && SIDEGATE_WRITE_FIXTURES=1 node --test dist/sidecar/src/providers/bedrock/fixtures.test.js
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createBedrockAdapter } from "./adapter";
import { encodeStream, type StreamSpec } from "./testing/frames";
import { oracleSign } from "./testing/sigv4-oracle";

const DIR = join(__dirname, "../../../../../sidecar/src/providers/bedrock/fixtures");
const WRITE = process.env["SIDEGATE_WRITE_FIXTURES"] === "1";
const DEFAULT_NOW = Date.UTC(2026, 0, 1);
const adapter = createBedrockAdapter();

interface Fixture extends Partial<StreamSpec> {
  case: string;
  signOracle?: boolean;
  deployment?: { baseUrl?: string; region?: string; options?: Record<string, string> };
  secrets?: Record<string, string> | null;
  request: Record<string, unknown>;
  upstreamModel?: string;
  now?: number;
  stream?: { base64?: string };
  expectUpstream?: { headers?: Record<string, string> };
}

async function signingHeaders(f: Fixture): Promise<Record<string, string>> {
  const target = adapter.prepare(
    { id: "fixture", provider: "bedrock", baseUrl: f.deployment?.baseUrl ?? "", region: f.deployment?.region ?? "", options: f.deployment?.options ?? {} },
    f.secrets ?? null,
  );
  const now = f.now ?? DEFAULT_NOW;
  const req = adapter.buildChatRequest(target, {
    body: Buffer.from(JSON.stringify(f.request)),
    json: f.request,
    upstreamModel: f.upstreamModel ?? String(f.request["model"]),
    stream: f.request["stream"] === true,
    clientIncludeUsage: false,
    now,
  });
  const secrets = f.secrets ?? {};
  const signed = await oracleSign({
    method: req.method,
    host: new URL(target.origin).host,
    path: req.path,
    region: f.deployment?.region ?? "",
    headers: { "content-type": "application/json" },
    body: req.body,
    credentials: {
      accessKeyId: secrets["access_key_id"] ?? "",
      secretAccessKey: secrets["secret_access_key"] ?? "",
      ...(secrets["session_token"] !== undefined ? { sessionToken: secrets["session_token"] } : {}),
    },
    now,
  });
  const out: Record<string, string> = {};
  for (const name of ["x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization"]) {
    if (signed[name] !== undefined) out[name] = signed[name];
  }
  return out;
}

for (const file of readdirSync(DIR).filter((f) => f.endsWith(".json")).sort()) {
  test(`fixture ${file} is reproducible`, async () => {
    const path = join(DIR, file);
    const f = JSON.parse(readFileSync(path, "utf8")) as Fixture;
    let changed = false;
    if (f.events !== undefined) {
      const spec: StreamSpec = { events: f.events, ...(f.corrupt ? { corrupt: f.corrupt } : {}), ...(f.truncate !== undefined ? { truncate: f.truncate } : {}) };
      const base64 = encodeStream(spec).toString("base64");
      if (WRITE && f.stream?.base64 !== base64) {
        f.stream = { base64 };
        changed = true;
      }
      assert.equal(f.stream?.base64, base64, "stream.base64 matches EventStreamCodec.encode(events)");
    }
    if (f.signOracle === true) {
      const expected = await signingHeaders(f);
      const headers = f.expectUpstream?.headers ?? {};
      if (WRITE) {
        f.expectUpstream = { ...f.expectUpstream, headers: { ...headers, ...expected } };
        changed = true;
      }
      for (const [k, v] of Object.entries(expected)) assert.equal(f.expectUpstream?.headers?.[k], v, `pinned ${k} equals the oracle's`);
    }
    if (changed) writeFileSync(path, `${JSON.stringify(f, null, 2)}\n`);
  });
}
