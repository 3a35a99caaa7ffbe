/**
 * AWS Signature Version 4 for Bedrock (service name `bedrock`, even though the host is `bedrock-runtime`),
 * delegated to `aws4`. Kept pure: the time comes from the request (`X-Amz-Date`, so aws4 never reads the
 * clock) and the credentials are always passed (so aws4 never reads the environment).
 */
import { createHash } from "node:crypto";
import aws4 from "aws4";
import type { SigV4Credentials } from "./target";

export const SIGNING_SERVICE = "bedrock";

export interface SignInput {
  readonly method: "POST" | "GET";
  /** `host[:port]` as sent. */
  readonly host: string;
  /** The wire path, already percent-encoded once (aws4 encodes it again for the canonical URI). */
  readonly path: string;
  readonly region: string;
  readonly body: Uint8Array;
  /** Headers to send and sign besides the x-amz-* ones added here (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  readonly credentials: SigV4Credentials;
  /** Request time, ms since the epoch. */
  readonly now: number;
}

/** aws4's request options, including the (untyped) list of headers it must leave unsigned. */
type Aws4Request = aws4.Request & { extraHeadersToIgnore?: Record<string, boolean> };

/** `YYYYMMDD'T'HHMMSS'Z'` of a timestamp (no clock read). */
export function amzDate(now: number): string {
  return new Date(now).toISOString().replace(/[-:]|\.\d{3}/g, "");
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Returns the flat header list to send: the given headers, `x-amz-date`, `x-amz-content-sha256`,
 * `x-amz-security-token` (temporary credentials) and `authorization`. `host` is signed but not returned
 * (the transport derives it from the origin); content-length is left to the transport and not signed.
 */
export function signedHeaders(input: SignInput): string[] {
  const date = amzDate(input.now);
  const payloadHash = sha256Hex(input.body);
  const headers: Record<string, string> = { ...input.headers, host: input.host, "x-amz-date": date, "x-amz-content-sha256": payloadHash };
  const token = input.credentials.sessionToken;
  if (token !== undefined) headers["x-amz-security-token"] = token;
  const request: Aws4Request = {
    method: input.method,
    host: input.host,
    path: input.path,
    service: SIGNING_SERVICE,
    region: input.region,
    headers,
    body: Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength),
    extraHeadersToIgnore: { "content-length": true },
  };
  const signed = aws4.sign(request, {
    accessKeyId: input.credentials.accessKeyId,
    secretAccessKey: input.credentials.secretAccessKey,
    ...(token !== undefined ? { sessionToken: token } : {}),
  });
  const authorization = signed.headers?.["Authorization"];
  if (typeof authorization !== "string") throw new Error("bedrock adapter: SigV4 signing produced no Authorization header");
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) if (name !== "host") out.push(name, value);
  out.push("authorization", authorization);
  return out;
}
