import type { ChatInput, DeploymentSpec, EmbeddingsInput, PreparedDeployment, UpstreamRequest } from "../types";
import { siblingPath, type EmbeddingsRoute } from "../openai-compatible/embeddings";
import { chatBodyFor } from "../openai-compatible/request";

/** GA api-version used when a deployment sets no `api_version` option (supports stream_options, tools, json_schema). */
export const DEFAULT_API_VERSION = "2024-10-21";

/** What `prepare` computes for Azure besides the generic fields: how to build the per-request path. */
export interface AzurePrepared extends PreparedDeployment {
  readonly style: "deployments" | "v1";
  /** Fixed deployment (option `deployment`), or null to use the request's upstream model. */
  readonly deployment: string | null;
  /** `/openai/deployments/` prefix (deployments style) on the endpoint's path. */
  readonly prefix: string;
  /** `/chat/completions?api-version=…` (deployments style). */
  readonly suffix: string;
}

/**
 * Options: `api_style` = `deployments` (default; dated routes) | `v1`; `deployment` (default: the upstream
 * model); `api_version` (deployments style; default DEFAULT_API_VERSION). Secrets: `api_key` → `api-key`
 * header, or `access_token` (Entra ID) → `Authorization: Bearer` (the token wins when both are given).
 * The endpoint may be given with or without a trailing `/openai` or `/openai/v1`.
 */
export function prepareAzure(deployment: DeploymentSpec, secrets: Readonly<Record<string, string>> | null): AzurePrepared {
  let url: URL;
  try {
    url = new URL(deployment.baseUrl);
  } catch {
    throw new Error(`deployment ${deployment.id}: base_url is not a URL (expected https://<resource>.openai.azure.com)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`deployment ${deployment.id}: base_url must be http(s)`);
  const o = deployment.options;
  const style = o["api_style"] ?? "deployments";
  if (style !== "deployments" && style !== "v1") throw new Error(`deployment ${deployment.id}: api_style must be "deployments" or "v1"`);
  const version = o["api_version"] ?? DEFAULT_API_VERSION;
  if (!/^[0-9A-Za-z.-]+$/.test(version)) throw new Error(`deployment ${deployment.id}: api_version is malformed`);
  const base = url.pathname.replace(/\/+$/, "").replace(/\/openai(\/v1)?$/, "");
  const fixed = o["deployment"] !== undefined && o["deployment"] !== "" ? o["deployment"] : null;
  const prefix = `${base}/openai/deployments/`;
  const suffix = `/chat/completions?api-version=${encodeURIComponent(version)}`;
  const chatPath = style === "v1" ? `${base}/openai/v1/chat/completions` : fixed !== null ? prefix + encodeURIComponent(fixed) + suffix : prefix + "{deployment}" + suffix;
  return Object.freeze({ origin: url.origin, chatPath, headers: Object.freeze(authHeaders(deployment.id, secrets)), style, deployment: fixed, prefix, suffix });
}

function authHeaders(id: string, secrets: Readonly<Record<string, string>> | null): string[] {
  const headers = ["content-type", "application/json"];
  if (secrets === null) return headers;
  const token = secrets["access_token"];
  const key = secrets["api_key"];
  if (token !== undefined && token !== "") headers.push("authorization", `Bearer ${token}`);
  else if (key !== undefined && key !== "") headers.push("api-key", key);
  else throw new Error(`deployment ${id}: credential has neither api_key nor access_token`);
  return headers;
}

function isAzurePrepared(target: PreparedDeployment): target is AzurePrepared {
  return (target as Partial<AzurePrepared>).style !== undefined;
}

/**
 * Deployment routes carry the deployment in the path and ignore the body's `model`, so the client's bytes are
 * forwarded unchanged (only `stream_options.include_usage` is injected for streams). The v1 route takes the
 * deployment name as `model`.
 */
export function buildAzureRequest(target: PreparedDeployment, input: ChatInput): UpstreamRequest {
  if (!isAzurePrepared(target)) throw new Error("azure-openai: target was not prepared by this adapter");
  const deployment = target.deployment ?? input.upstreamModel;
  if (target.style === "v1") {
    return { method: "POST", path: target.chatPath, headers: target.headers, body: chatBodyFor(input, deployment, true) };
  }
  const path = target.deployment !== null ? target.chatPath : target.prefix + encodeURIComponent(deployment) + target.suffix;
  return { method: "POST", path, headers: target.headers, body: chatBodyFor(input, null, true) };
}

/**
 * `/embeddings` on the same routes: deployments style `{prefix}{deployment}/embeddings?api-version=…` with the
 * client's `model` left as is (the deployment is in the path); v1 style `/openai/v1/embeddings` with the
 * deployment as `model`.
 */
export function azureEmbeddingsRoute(target: PreparedDeployment, input: EmbeddingsInput): EmbeddingsRoute {
  if (!isAzurePrepared(target)) throw new Error("azure-openai: target was not prepared by this adapter");
  const deployment = target.deployment ?? input.upstreamModel;
  if (target.style === "v1") return { path: siblingPath(target.chatPath, "/embeddings"), model: deployment };
  return { path: target.prefix + encodeURIComponent(deployment) + siblingPath(target.suffix, "/embeddings"), model: null };
}
