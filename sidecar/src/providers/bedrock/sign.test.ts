import assert from "node:assert/strict";
import { describe, it } from "node:test";
import aws4 from "aws4";
import { createBedrockAdapter } from "./adapter";
import { amzDate, sha256Hex, signedHeaders, type SignInput } from "./sign";
import { oracleSign } from "./testing/sigv4-oracle";

const CREDS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const NOW = Date.UTC(2026, 0, 15, 9, 30, 0);

function headerMap(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

async function assertMatchesOracle(input: SignInput): Promise<Record<string, string>> {
  const ours = headerMap(signedHeaders(input));
  const theirs = await oracleSign({ ...input, headers: { ...input.headers } });
  assert.equal(ours["authorization"], theirs["authorization"], "Authorization equals @smithy/signature-v4's");
  assert.equal(ours["x-amz-date"], theirs["x-amz-date"]);
  assert.equal(ours["x-amz-content-sha256"], theirs["x-amz-content-sha256"]);
  assert.equal(ours["x-amz-security-token"], theirs["x-amz-security-token"]);
  return ours;
}

const base: SignInput = {
  method: "POST",
  host: "bedrock-runtime.us-east-1.amazonaws.com",
  path: "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse",
  region: "us-east-1",
  body: Buffer.from('{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}'),
  headers: { "content-type": "application/json" },
  credentials: CREDS,
  now: NOW,
};

describe("SigV4 (aws4) against @smithy/signature-v4", () => {
  it("C53 model id with ':' — same signature; canonical URI double-encodes %3A to %253A", async () => {
    const h = await assertMatchesOracle(base);
    assert.match(h["authorization"] ?? "", /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260115\/us-east-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    const signer = new aws4.RequestSigner({ host: base.host, path: base.path, method: "POST", service: "bedrock", region: "us-east-1", headers: { "x-amz-date": "20260115T093000Z" }, body: "" }, CREDS);
    const canonical = signer.canonicalString().split("\n");
    assert.equal(canonical[1], "/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse");
  });

  it("C54 session token is sent and signed", async () => {
    const h = await assertMatchesOracle({ ...base, credentials: { ...CREDS, sessionToken: "FwoGZXIvYXdzE//token+/=" } });
    assert.equal(h["x-amz-security-token"], "FwoGZXIvYXdzE//token+/=");
    assert.match(h["authorization"] ?? "", /SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/);
  });

  it("C54 header values with repeated spaces are collapsed the same way as the oracle", async () => {
    const h = await assertMatchesOracle({ ...base, headers: { "content-type": "application/json", "x-amzn-bedrock-trace": "  ENABLED   with   spaces " } });
    assert.match(h["authorization"] ?? "", /x-amzn-bedrock-trace/);
    const signer = new aws4.RequestSigner({ host: base.host, path: "/", service: "bedrock", region: "us-east-1", headers: { "x-amz-date": "20260115T093000Z", "x-a": "  a   b  " } }, CREDS);
    assert.ok(signer.canonicalString().includes("\nx-a:a b\n"));
  });

  it("inference-profile ARN (':' and '/' encoded), a host with a port, unicode and empty bodies", async () => {
    const arn = encodeURIComponent("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0");
    await assertMatchesOracle({ ...base, path: `/model/${arn}/converse-stream`, region: "eu-west-1" });
    await assertMatchesOracle({ ...base, host: "127.0.0.1:8443", path: "/prefix/model/m%3A1/converse" });
    await assertMatchesOracle({ ...base, body: Buffer.from('{"text":"Grüße 🌍"}') });
    await assertMatchesOracle({ ...base, body: new Uint8Array(0) });
  });

  it("is pure: time comes from input.now, credentials from the input (not the clock or environment)", async () => {
    const saved = { ...process.env };
    process.env["AWS_ACCESS_KEY_ID"] = "AKIDFROMENV";
    process.env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
    try {
      const old = Date.UTC(2019, 4, 1, 12, 0, 0);
      const h = await assertMatchesOracle({ ...base, now: old });
      assert.equal(h["x-amz-date"], "20190501T120000Z");
      assert.match(h["authorization"] ?? "", /Credential=AKIDEXAMPLE\/20190501\//);
      assert.deepEqual(signedHeaders({ ...base, now: old }), signedHeaders({ ...base, now: old }));
    } finally {
      process.env = saved;
    }
  });

  it("helpers: amzDate and the empty-body hash", () => {
    assert.equal(amzDate(NOW), "20260115T093000Z");
    assert.equal(sha256Hex(new Uint8Array(0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("the adapter signs the exact body and path it sends", async () => {
    const adapter = createBedrockAdapter();
    const target = adapter.prepare({ id: "d", provider: "bedrock", baseUrl: "", region: "ap-southeast-2", options: {} }, {
      access_key_id: "AKIDEXAMPLE",
      secret_access_key: "secret",
      session_token: "tok",
    });
    assert.equal(target.origin, "https://bedrock-runtime.ap-southeast-2.amazonaws.com");
    const json = { model: "amazon.nova-pro-v1:0", messages: [{ role: "user", content: "Hi ✓" }], stream: true };
    const req = adapter.buildChatRequest(target, { body: Buffer.from(JSON.stringify(json)), json, upstreamModel: "amazon.nova-pro-v1:0", stream: true, clientIncludeUsage: false, now: NOW });
    assert.equal(req.path, "/model/amazon.nova-pro-v1%3A0/converse-stream");
    const ours = headerMap(req.headers);
    assert.equal(ours["host"], undefined, "host is left to the transport (derived from the origin)");
    const theirs = await oracleSign({
      method: "POST",
      host: "bedrock-runtime.ap-southeast-2.amazonaws.com",
      path: req.path,
      region: "ap-southeast-2",
      headers: { "content-type": "application/json" },
      body: req.body,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "tok" },
      now: NOW,
    });
    assert.equal(ours["authorization"], theirs["authorization"]);
    assert.equal(ours["x-amz-content-sha256"], sha256Hex(req.body));
  });
});
