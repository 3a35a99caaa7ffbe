/**
 * Test support (no production caller): the independent SigV4 oracle, AWS's own @smithy/signature-v4 signer,
 * used by tests and by fixtures.test.ts to pin the adapter's Authorization header.
 */
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

export interface OracleInput {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly region: string;
  readonly service?: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array | string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  readonly now: number;
}

/** The headers @smithy/signature-v4 sends for the request (lower-case names), incl. authorization. */
export async function oracleSign(input: OracleInput): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: input.service ?? "bedrock",
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: true,
    applyChecksum: true,
  });
  const colon = input.host.lastIndexOf(":");
  const signed = await signer.sign(
    {
      method: input.method,
      protocol: "https:",
      hostname: colon === -1 ? input.host : input.host.slice(0, colon),
      ...(colon === -1 ? {} : { port: Number(input.host.slice(colon + 1)) }),
      path: input.path,
      query: {},
      headers: { host: input.host, ...input.headers },
      body: input.body,
    },
    { signingDate: new Date(input.now) },
  );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) out[k.toLowerCase()] = String(v);
  return out;
}
