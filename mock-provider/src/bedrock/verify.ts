/**
 * Verifies a request's SigV4 signature the way Bedrock does, recomputing it with @smithy/signature-v4 over
 * exactly the headers the client says it signed. Returns null when valid, else the 403 error to answer.
 */
import { createHash } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { invalidSignature, unrecognizedClient, type BedrockMockError } from "./errors";

export interface MockCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, temporary credentials: the request must carry this x-amz-security-token. */
  sessionToken?: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;
const MAX_SKEW_MS = 5 * 60 * 1000;

function parseAmzDate(value: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? "");
  if (m === null) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

export interface SignedRequest {
  method: string;
  /** The raw request target as received (already percent-encoded once). */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export async function verifySigV4(req: SignedRequest, creds: MockCredentials, region: string, nowMs: number): Promise<BedrockMockError | null> {
  const m = AUTH.exec(req.headers["authorization"] ?? "");
  if (m === null) return invalidSignature("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
  const [, keyId, day, scopeRegion, service, signedList] = m as unknown as string[];
  if (keyId !== creds.accessKeyId) return unrecognizedClient();
  if (scopeRegion !== region || service !== "bedrock") return invalidSignature(`Credential should be scoped to a valid region and service 'bedrock' in '${region}'.`);
  const date = parseAmzDate(req.headers["x-amz-date"]);
  if (date === null || req.headers["x-amz-date"]?.slice(0, 8) !== day) return invalidSignature("Missing or malformed X-Amz-Date.");
  if (Math.abs(nowMs - date.getTime()) > MAX_SKEW_MS) return invalidSignature("Signature expired: the request time is more than 5 minutes from the server time.");
  const token = req.headers["x-amz-security-token"];
  if (creds.sessionToken !== undefined && token !== creds.sessionToken) return unrecognizedClient();
  const hash = req.headers["x-amz-content-sha256"];
  if (hash !== undefined && hash !== createHash("sha256").update(req.body).digest("hex")) return invalidSignature("The provided x-amz-content-sha256 does not match the body.");
  const signed = (signedList ?? "").split(";");
  if (!signed.includes("host")) return invalidSignature("'Host' must be a signed header.");
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value === undefined) return invalidSignature(`Signed header '${name}' is missing.`);
    if (name !== "x-amz-date" && name !== "x-amz-security-token") headers[name] = value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, ...(token !== undefined ? { sessionToken: token } : {}) },
    region,
    service: "bedrock",
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: true,
    applyChecksum: signed.includes("x-amz-content-sha256"),
  });
  const expected = await signer.sign(
    { method: req.method, protocol: "https:", hostname: (headers["host"] ?? "").replace(/:\d+$/, ""), path: req.path, query: {}, headers, body: req.body },
    { signingDate: date },
  );
  if (expected.headers["authorization"] !== req.headers["authorization"]) {
    return invalidSignature("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
  }
  return null;
}
