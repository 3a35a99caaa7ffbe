/**
 * `prepare`: once per snapshot per deployment. Resolves the endpoint (regional default or base_url override),
 * the credential kind (Bedrock API key → bearer header; IAM access keys → SigV4 per request) and the
 * deployment options the request builder reads.
 */
import { DEFAULT_INPUT_TYPE } from "../cohere/request";
import type { DeploymentSpec, PreparedDeployment } from "../types";

export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type BedrockAuth =
  | { readonly kind: "bearer" }
  | { readonly kind: "sigv4"; readonly region: string; readonly credentials: SigV4Credentials }
  | { readonly kind: "none" };

export type StructuredOutputMode = "tool" | "output_config";

export interface BedrockOptions {
  /** How `response_format: json_schema` is sent: a forced tool (works on every tool-capable model) or `outputConfig`. */
  readonly structuredOutput: StructuredOutputMode;
  readonly guardrail: { readonly guardrailIdentifier: string; readonly guardrailVersion: string; readonly trace?: string } | null;
  /** Cohere Embed `input_type` default (option `input_type`; a request's `input_type` field wins). */
  readonly embedInputType: string;
}

/** What `prepare` returns: the contract's fields plus what `buildChatRequest` needs to sign. */
export interface BedrockPrepared extends PreparedDeployment {
  readonly bedrock: {
    /** `host[:port]` exactly as the transport sends it (URL.host; default ports omitted), signed as `host`. */
    readonly host: string;
    /** Path prefix of a base_url override ("" for the AWS endpoint). */
    readonly basePath: string;
    readonly auth: BedrockAuth;
    readonly options: BedrockOptions;
  };
}

const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;
/** The region inside an AWS Bedrock Runtime host name (used when the deployment names none). */
const HOST_REGION = /^bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const STRUCTURED_MODES: readonly StructuredOutputMode[] = ["tool", "output_config"];

export function prepareBedrock(deployment: DeploymentSpec, secrets: Readonly<Record<string, string>> | null): BedrockPrepared {
  const fail = (why: string): Error => new Error(`deployment ${deployment.id}: ${why}`);
  let region = deployment.region.trim();
  if (region !== "" && !REGION.test(region)) throw fail(`region "${region}" is not an AWS region name`);
  let url: URL;
  if (deployment.baseUrl.trim() === "") {
    if (region === "") throw fail("a Bedrock deployment needs a region (or a base_url)");
    url = new URL(`https://bedrock-runtime.${region}.amazonaws.com`);
  } else {
    try {
      url = new URL(deployment.baseUrl);
    } catch {
      throw fail("base_url is not a URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw fail("base_url must be http(s)");
  }
  if (region === "") region = HOST_REGION.exec(url.hostname)?.[1] ?? "";
  const basePath = url.pathname.replace(/\/+$/, "");
  const headers: string[] = ["content-type", "application/json"];
  const auth = authOf(secrets, region, headers, fail);
  return Object.freeze({
    origin: url.origin,
    chatPath: `${basePath}/model/{modelId}/converse`,
    headers: Object.freeze(headers),
    bedrock: Object.freeze({ host: url.host, basePath, auth, options: optionsOf(deployment.options, fail) }),
  });
}

function authOf(
  secrets: Readonly<Record<string, string>> | null,
  region: string,
  headers: string[],
  fail: (why: string) => Error,
): BedrockAuth {
  if (secrets === null) return { kind: "none" };
  const accessKeyId = secrets["access_key_id"] ?? "";
  const secretAccessKey = secrets["secret_access_key"] ?? "";
  if (accessKeyId !== "" || secretAccessKey !== "") {
    if (accessKeyId === "" || secretAccessKey === "") throw fail("credential needs both access_key_id and secret_access_key");
    if (region === "") throw fail("SigV4 signing needs the deployment region");
    const sessionToken = secrets["session_token"] ?? "";
    const credentials: SigV4Credentials = sessionToken === "" ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
    return Object.freeze({ kind: "sigv4", region, credentials: Object.freeze(credentials) });
  }
  const apiKey = secrets["api_key"] ?? "";
  if (apiKey === "") throw fail("credential has neither access_key_id/secret_access_key nor api_key");
  headers.push("authorization", `Bearer ${apiKey}`);
  return { kind: "bearer" };
}

function optionsOf(options: Readonly<Record<string, string>>, fail: (why: string) => Error): BedrockOptions {
  const mode = options["structured_output"] ?? "tool";
  if (!(STRUCTURED_MODES as readonly string[]).includes(mode)) throw fail(`structured_output must be one of ${STRUCTURED_MODES.join(", ")}`);
  const id = options["guardrail_identifier"] ?? "";
  const version = options["guardrail_version"] ?? "";
  if ((id === "") !== (version === "")) throw fail("guardrail_identifier and guardrail_version go together");
  const trace = options["guardrail_trace"];
  const guardrail =
    id === "" ? null : Object.freeze({ guardrailIdentifier: id, guardrailVersion: version, ...(trace !== undefined && trace !== "" ? { trace } : {}) });
  const inputType = options["input_type"];
  const embedInputType = inputType !== undefined && inputType !== "" ? inputType : DEFAULT_INPUT_TYPE;
  return Object.freeze({ structuredOutput: mode as StructuredOutputMode, guardrail, embedInputType });
}

/** The Bedrock part of a prepared deployment; throws when handed another adapter's deployment. */
export function bedrockPart(target: PreparedDeployment): BedrockPrepared["bedrock"] {
  const part = (target as Partial<BedrockPrepared>).bedrock;
  if (part === undefined) throw new Error("bedrock adapter: deployment was not prepared by this adapter");
  return part;
}
