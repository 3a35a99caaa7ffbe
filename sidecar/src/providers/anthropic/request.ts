/** Deployment preparation and OpenAI chat request → Anthropic `/v1/messages` body (providers.md §3.1–3.4). */
import type { ChatInput, DeploymentSpec, PreparedDeployment, UpstreamRequest } from "../types";
import { invalid } from "./json";
import { convertMessages } from "./messages";
import { rejectedParam } from "./params";
import { convertTools } from "./tools";
import { ANTHROPIC_VERSION, type MessagesRequest, type ThinkingConfig, type ToolChoice } from "./wire";

export const DEFAULT_BASE_URL = "https://api.anthropic.com";
export const DEFAULT_MAX_TOKENS = 4096;

/** The prepared deployment plus the per-deployment request defaults. */
export interface AnthropicTarget extends PreparedDeployment {
  readonly defaultMaxTokens: number;
}

/**
 * Deployment options: `default_max_tokens` (positive integer, default 4096), `anthropic_beta`
 * (comma-separated beta flags → `anthropic-beta`), `anthropic_version` (default 2023-06-01).
 * Secrets: `api_key` (→ `x-api-key`) or `auth_token` (→ `Authorization: Bearer`).
 */
export function prepareDeployment(deployment: DeploymentSpec, secrets: Readonly<Record<string, string>> | null): AnthropicTarget {
  let url: URL;
  try {
    url = new URL(deployment.baseUrl === "" ? DEFAULT_BASE_URL : deployment.baseUrl);
  } catch {
    throw new Error(`deployment ${deployment.id}: base_url is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`deployment ${deployment.id}: base_url must be http(s)`);
  const base = url.pathname.replace(/\/+$/, "");
  const options = deployment.options;
  const headers: string[] = ["content-type", "application/json", "anthropic-version", options["anthropic_version"] || ANTHROPIC_VERSION];
  if (secrets !== null) {
    if (secrets["api_key"]) headers.push("x-api-key", secrets["api_key"]);
    else if (secrets["auth_token"]) headers.push("authorization", `Bearer ${secrets["auth_token"]}`);
    else throw new Error(`deployment ${deployment.id}: credential has no api_key`);
  }
  const beta = options["anthropic_beta"];
  if (beta !== undefined && beta.trim() !== "") headers.push("anthropic-beta", beta.trim());
  const rawMax = options["default_max_tokens"];
  const defaultMaxTokens = rawMax === undefined || rawMax === "" ? DEFAULT_MAX_TOKENS : Number(rawMax);
  if (!Number.isInteger(defaultMaxTokens) || defaultMaxTokens < 1) {
    throw new Error(`deployment ${deployment.id}: default_max_tokens must be a positive integer`);
  }
  return Object.freeze({
    origin: url.origin,
    chatPath: base.endsWith("/v1") ? `${base}/messages` : `${base}/v1/messages`,
    headers: Object.freeze(headers),
    defaultMaxTokens,
  });
}

export function buildChatRequest(target: PreparedDeployment, input: ChatInput): UpstreamRequest {
  const defaultMax = (target as Partial<AnthropicTarget>).defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  const body = buildMessagesRequest(input.json, input.upstreamModel, input.stream, defaultMax);
  return { method: "POST", path: target.chatPath, headers: target.headers, body: Buffer.from(JSON.stringify(body)) };
}

/** Builds the body from scratch: fields not mapped here are never sent (see params.ts). */
export function buildMessagesRequest(json: Readonly<Record<string, unknown>>, model: string, stream: boolean, defaultMax: number): MessagesRequest {
  const rejected = rejectedParam(json);
  if (rejected !== null) throw invalid(rejected, `'${rejected}' is not supported by this provider.`);
  const { system, messages } = convertMessages(json["messages"]);
  const tools = convertTools(json);
  const maxTokens = maxTokensOf(json, defaultMax);
  const out: MessagesRequest = { model, max_tokens: maxTokens, messages };
  const systemText = [system, tools.systemSuffix].filter((s) => s !== undefined).join("\n\n");
  if (systemText !== "") out.system = systemText;
  if (stream) out.stream = true;
  const stop = stopSequences(json["stop"]);
  if (stop !== undefined) out.stop_sequences = stop;
  if (tools.tools !== undefined) out.tools = tools.tools;
  if (tools.toolChoice !== undefined) out.tool_choice = tools.toolChoice;
  const user = json["safety_identifier"] ?? json["user"];
  if (typeof user === "string" && user !== "") out.metadata = { user_id: user };
  const thinking = thinkingFor(json["reasoning_effort"], maxTokens, tools.toolChoice);
  if (thinking !== undefined) out.thinking = thinking; // sampling parameters must stay unset with thinking
  else setSampling(out, json);
  return out;
}

function maxTokensOf(json: Readonly<Record<string, unknown>>, defaultMax: number): number {
  const value = json["max_completion_tokens"] ?? json["max_tokens"];
  if (value === undefined || value === null) return defaultMax;
  if (!Number.isInteger(value) || (value as number) < 1) throw invalid("max_tokens", "max_tokens must be a positive integer.");
  return value as number;
}

function stopSequences(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const list = typeof raw === "string" ? [raw] : raw;
  if (!Array.isArray(list) || !list.every((s) => typeof s === "string")) throw invalid("stop", "stop must be a string or an array of strings.");
  const kept = list.filter((s: string) => s.trim() !== ""); // whitespace-only sequences are rejected upstream
  return kept.length > 0 ? kept : undefined;
}

function setSampling(out: MessagesRequest, json: Readonly<Record<string, unknown>>): void {
  const temperature = json["temperature"];
  if (typeof temperature === "number") out.temperature = Math.min(1, Math.max(0, temperature)); // OpenAI 0–2, Anthropic 0–1
  const topP = json["top_p"];
  if (typeof topP === "number") out.top_p = topP;
  const topK = json["top_k"];
  if (typeof topK === "number" && Number.isInteger(topK) && topK > 0) out.top_k = topK;
}

/**
 * reasoning_effort → extended-thinking budget, capped at half of max_tokens so the answer keeps room (the
 * API needs 1024 ≤ budget < max_tokens); none/minimal/unknown efforts, too small a max_tokens, or a forced
 * tool choice (which the API refuses with thinking) mean no thinking.
 */
export const THINKING_BUDGETS: Readonly<Record<string, number>> = Object.freeze({ low: 1024, medium: 4096, high: 16384, xhigh: 32768 });
const MIN_THINKING_BUDGET = 1024;

function thinkingFor(effort: unknown, maxTokens: number, choice: ToolChoice | undefined): ThinkingConfig | undefined {
  if (typeof effort !== "string") return undefined;
  const wanted = THINKING_BUDGETS[effort];
  if (wanted === undefined) return undefined;
  if (choice !== undefined && (choice.type === "any" || choice.type === "tool")) return undefined;
  const budget = Math.min(wanted, Math.floor(maxTokens / 2));
  return budget < MIN_THINKING_BUDGET ? undefined : { type: "enabled", budget_tokens: budget };
}
