/**
 * `prepare` for both dialects: origin, model-path prefix and constant headers, once per snapshot.
 *
 * Gemini API (`gemini`): base URL default https://generativelanguage.googleapis.com (a base URL that
 * already ends in `/v1beta` or `/v1` is used as is, else `/{options.api_version ?? "v1beta"}` is
 * appended); credential secret `api_key` → `x-goog-api-key`.
 *
 * Vertex AI (`vertex`): `options.project` and `options.location` (or the deployment region) select
 * `https://{location}-aiplatform.googleapis.com` (`global` → aiplatform.googleapis.com, multi-regions
 * `us`/`eu` → aiplatform.{loc}.rep.googleapis.com); a non-empty base URL overrides the origin (private
 * endpoints, tests). Path `/{api_version ?? "v1"}/projects/{p}/locations/{l}/publishers/{publisher ??
 * "google"}/models/{model}`. Credential secret `access_token` → `Authorization: Bearer`: the credential
 * holds a short-lived OAuth2 access token (scope cloud-platform) that the control plane must rotate; a
 * service-account flow (JWT → token exchange, cached until expiry) is future work outside this pure
 * adapter.
 *
 * Options for both: `task_type` = default embeddings task (RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT, …; unset:
 * none sent; a request's `task_type` field wins); `schema_mode` = `openapi` (default: sanitised `parameters`/`responseSchema`) or
 * `json` (`parametersJsonSchema`/`responseJsonSchema`, full JSON Schema, newer models only).
 */
import type { DeploymentSpec, PreparedDeployment } from "../types";
import type { Dialect } from "./parts";
import type { SchemaMode } from "./tools";

export interface GeminiTarget extends PreparedDeployment {
  readonly dialect: Dialect;
  readonly schemaMode: SchemaMode;
  /** Default embeddings `taskType` (option `task_type`, e.g. RETRIEVAL_DOCUMENT), or null to send none. */
  readonly embedTaskType: string | null;
}

export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/;
const VERSION_SUFFIX = /\/v1(beta\d*)?$/;

export function isGeminiTarget(target: PreparedDeployment): target is GeminiTarget {
  const t = target as Partial<GeminiTarget>;
  return t.dialect === "gemini" || t.dialect === "vertex";
}

function fail(deployment: DeploymentSpec, what: string): Error {
  return new Error(`deployment ${deployment.id}: ${what}`);
}

function parseBase(deployment: DeploymentSpec, raw: string): { origin: string; path: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail(deployment, "base_url is not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw fail(deployment, "base_url must be http(s)");
  return { origin: url.origin, path: url.pathname.replace(/\/+$/, "") };
}

function schemaMode(deployment: DeploymentSpec): SchemaMode {
  const mode = deployment.options["schema_mode"] ?? "openapi";
  if (mode !== "openapi" && mode !== "json") throw fail(deployment, "option schema_mode must be 'openapi' or 'json'");
  return mode;
}

function taskType(deployment: DeploymentSpec): string | null {
  const value = deployment.options["task_type"];
  if (value === undefined || value === "") return null;
  if (!/^[A-Z_]+$/.test(value)) throw fail(deployment, "option task_type must be an upper-case task name (e.g. RETRIEVAL_DOCUMENT)");
  return value;
}

function option(deployment: DeploymentSpec, name: string, fallback: string): string {
  const value = deployment.options[name] ?? fallback;
  if (value === "" || !SAFE_SEGMENT.test(value)) throw fail(deployment, `option ${name} is missing or malformed`);
  return value;
}

function secret(deployment: DeploymentSpec, secrets: Readonly<Record<string, string>>, name: string): string {
  const value = secrets[name];
  if (value === undefined || value === "") throw fail(deployment, `credential has no ${name}`);
  return value;
}

export function prepareGemini(deployment: DeploymentSpec, secrets: Readonly<Record<string, string>> | null): GeminiTarget {
  const base = parseBase(deployment, deployment.baseUrl === "" ? GEMINI_DEFAULT_BASE_URL : deployment.baseUrl);
  const prefix = VERSION_SUFFIX.test(base.path) ? base.path : `${base.path}/${option(deployment, "api_version", "v1beta")}`;
  const headers = ["content-type", "application/json"];
  if (secrets !== null) headers.push("x-goog-api-key", secret(deployment, secrets, "api_key"));
  return Object.freeze({
    origin: base.origin,
    chatPath: `${prefix}/models/`,
    headers: Object.freeze(headers),
    dialect: "gemini",
    schemaMode: schemaMode(deployment),
    embedTaskType: taskType(deployment),
  });
}

/** The regional Vertex AI origin for a location (providers.md §4.9). */
export function vertexOrigin(location: string): string {
  if (location === "global") return "https://aiplatform.googleapis.com";
  if (location === "us" || location === "eu") return `https://aiplatform.${location}.rep.googleapis.com`;
  return `https://${location}-aiplatform.googleapis.com`;
}

export function prepareVertex(deployment: DeploymentSpec, secrets: Readonly<Record<string, string>> | null): GeminiTarget {
  const project = option(deployment, "project", "");
  const location = option(deployment, "location", deployment.region);
  const base = deployment.baseUrl === "" ? { origin: vertexOrigin(location), path: "" } : parseBase(deployment, deployment.baseUrl);
  const version = option(deployment, "api_version", "v1");
  const publisher = option(deployment, "publisher", "google");
  const headers = ["content-type", "application/json"];
  if (secrets !== null) headers.push("authorization", `Bearer ${secret(deployment, secrets, "access_token")}`);
  return Object.freeze({
    origin: base.origin,
    chatPath: `${base.path}/${version}/projects/${project}/locations/${location}/publishers/${publisher}/models/`,
    headers: Object.freeze(headers),
    dialect: "vertex",
    schemaMode: schemaMode(deployment),
    embedTaskType: taskType(deployment),
  });
}
