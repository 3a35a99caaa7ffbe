import { ProxyError } from "../../errors/proxy-error";
import type { ChatInput, DeploymentSpec, PreparedDeployment, UpstreamRequest } from "../types";
import { isObject } from "../shared/json-bytes";
import { cohereMessages } from "./messages";
import { COHERE_FIELD_RULES } from "./rules";

export const COHERE_DEFAULT_BASE_URL = "https://api.cohere.com";

/**
 * Base URL (default api.cohere.com, with or without `/v2`), Bearer key, optional `client_name` → X-Client-Name,
 * optional `input_type` = the embeddings default (DEFAULT_INPUT_TYPE otherwise).
 */
export function prepareCohere(deployment: DeploymentSpec, secrets: Readonly<Record<string, string>> | null): CoherePrepared {
  let url: URL;
  try {
    url = new URL(deployment.baseUrl === "" ? COHERE_DEFAULT_BASE_URL : deployment.baseUrl);
  } catch {
    throw new Error(`deployment ${deployment.id}: base_url is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`deployment ${deployment.id}: base_url must be http(s)`);
  const base = url.pathname.replace(/\/+$/, "").replace(/\/v2$/, "");
  const headers = ["content-type", "application/json"];
  if (secrets !== null) {
    const key = secrets["api_key"];
    if (key === undefined || key === "") throw new Error(`deployment ${deployment.id}: credential has no api_key`);
    headers.push("authorization", `Bearer ${key}`);
  }
  const client = deployment.options["client_name"];
  if (client !== undefined && client !== "") headers.push("x-client-name", client);
  const inputType = deployment.options["input_type"];
  return Object.freeze({
    origin: url.origin,
    chatPath: `${base}/v2/chat`,
    headers: Object.freeze(headers),
    embedPath: `${base}/v2/embed`,
    embedInputType: inputType !== undefined && inputType !== "" ? inputType : DEFAULT_INPUT_TYPE,
  });
}

/** `input_type` sent to `/v2/embed` when neither the request nor the deployment option `input_type` names one. */
export const DEFAULT_INPUT_TYPE = "search_document";

/** What `prepareCohere` adds for embeddings. */
export interface CoherePrepared extends PreparedDeployment {
  readonly embedPath: string;
  readonly embedInputType: string;
}

export function buildCohereRequest(target: PreparedDeployment, input: ChatInput): UpstreamRequest {
  return { method: "POST", path: target.chatPath, headers: target.headers, body: Buffer.from(JSON.stringify(cohereBody(input))) };
}

/** The `/v2/chat` body for an OpenAI request, following COHERE_FIELD_RULES. */
export function cohereBody(input: ChatInput): Record<string, unknown> {
  const j = input.json;
  for (const [field, rule] of Object.entries(COHERE_FIELD_RULES)) {
    const value = j[field];
    if (value === undefined || value === null || rule.action !== "reject") continue;
    if (rule.unless === undefined || JSON.stringify(value) !== rule.unless) {
      throw new ProxyError("invalid_request", `'${field}' is not supported by Cohere: ${rule.why}.`, field);
    }
  }
  const body: Record<string, unknown> = { model: input.upstreamModel, messages: cohereMessages(j["messages"]) };
  if (input.stream) body["stream"] = true;
  copy(j, body, "temperature", "temperature");
  copy(j, body, "top_p", "p");
  copy(j, body, "seed", "seed");
  copy(j, body, "frequency_penalty", "frequency_penalty");
  copy(j, body, "presence_penalty", "presence_penalty");
  const maxTokens = j["max_completion_tokens"] ?? j["max_tokens"];
  if (typeof maxTokens === "number") body["max_tokens"] = maxTokens;
  const stop = j["stop"];
  if (typeof stop === "string") body["stop_sequences"] = [stop];
  else if (Array.isArray(stop) && stop.length > 0) body["stop_sequences"] = stop;
  if (j["logprobs"] === true) body["logprobs"] = true;
  const format = responseFormat(j["response_format"]);
  if (format !== undefined) body["response_format"] = format;
  const effort = j["reasoning_effort"];
  if (typeof effort === "string") body["thinking"] = { type: effort === "none" ? "disabled" : "enabled" };
  Object.assign(body, toolFields(j));
  return body;
}

function copy(from: Readonly<Record<string, unknown>>, to: Record<string, unknown>, key: string, as: string): void {
  const v = from[key];
  if (v !== undefined && v !== null) to[as] = v;
}

function responseFormat(rf: unknown): unknown {
  if (!isObject(rf) || rf["type"] === "text") return undefined;
  if (rf["type"] === "json_object") return { type: "json_object" };
  if (rf["type"] === "json_schema") {
    const spec = isObject(rf["json_schema"]) ? rf["json_schema"] : {};
    return spec["schema"] !== undefined ? { type: "json_object", json_schema: spec["schema"] } : { type: "json_object" };
  }
  throw new ProxyError("invalid_request", "response_format.type must be text, json_object or json_schema.", "response_format");
}

/** tools / tool_choice (and the legacy functions / function_call) → Cohere tools + tool_choice. */
function toolFields(j: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let tools = functionTools(j);
  const choice = j["tool_choice"] ?? legacyChoice(j["function_call"]);
  if (tools.length === 0) return {};
  let cohereChoice: string | undefined;
  if (choice === "required") cohereChoice = "REQUIRED";
  else if (choice === "none") cohereChoice = "NONE";
  else if (isObject(choice) && choice["type"] === "function" && isObject(choice["function"])) {
    const name = choice["function"]["name"];
    tools = tools.filter((t) => t.function.name === name);
    if (tools.length === 0) throw new ProxyError("invalid_request", `tool_choice names an unknown tool ${JSON.stringify(name)}.`, "tool_choice");
    cohereChoice = "REQUIRED";
  } else if (isObject(choice) && choice["type"] === "allowed_tools" && isObject(choice["allowed_tools"])) {
    const allowed = choice["allowed_tools"];
    const names = new Set((Array.isArray(allowed["tools"]) ? allowed["tools"] : []).map((t) => (isObject(t) && isObject(t["function"]) ? t["function"]["name"] : undefined)));
    tools = tools.filter((t) => names.has(t.function.name));
    if (allowed["mode"] === "required") cohereChoice = "REQUIRED";
  }
  const out: Record<string, unknown> = { tools };
  if (tools.some((t) => t.strict)) out["strict_tools"] = true;
  if (cohereChoice !== undefined) out["tool_choice"] = cohereChoice;
  for (const t of tools) delete (t as { strict?: boolean }).strict;
  return out;
}

interface CohereTool {
  type: "function";
  function: { name: string; description?: string; parameters: unknown };
  strict?: boolean;
}

function functionTools(j: Readonly<Record<string, unknown>>): CohereTool[] {
  const raw = Array.isArray(j["tools"]) ? j["tools"] : Array.isArray(j["functions"]) ? j["functions"].map((f) => ({ type: "function", function: f })) : [];
  return raw.map((t, i) => {
    if (!isObject(t) || t["type"] !== "function" || !isObject(t["function"]) || typeof t["function"]["name"] !== "string") {
      throw new ProxyError("invalid_request", `tools[${i}]: only function tools are supported by Cohere.`, `tools[${i}]`);
    }
    const f = t["function"];
    const fn: CohereTool["function"] = { name: f["name"] as string, parameters: f["parameters"] ?? { type: "object", properties: {} } };
    if (typeof f["description"] === "string") fn.description = f["description"];
    return f["strict"] === true ? { type: "function", function: fn, strict: true } : { type: "function", function: fn };
  });
}

function legacyChoice(fc: unknown): unknown {
  if (fc === "none" || fc === "auto") return fc;
  if (isObject(fc) && typeof fc["name"] === "string") return { type: "function", function: { name: fc["name"] } };
  return undefined;
}
