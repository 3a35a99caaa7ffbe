/**
 * The documented rule for every OpenAI request field (providers.md §4.3): `map` (translated),
 * `drop` (Gemini has no equivalent and ignoring it keeps the request's meaning) or `reject` (ignoring
 * it would silently change the answer: the request fails with `invalid_request` naming the field).
 * Fields not in the table are OpenAI-only extensions and are dropped; nothing is forwarded blindly.
 */
import { invalid, isRecord, type Json } from "./json";
import { toGeminiSchema } from "./schema";
import type { SchemaMode } from "./tools";

export type ParamRule =
  | { readonly action: "map"; readonly to: string }
  | { readonly action: "drop"; readonly why: string }
  | { readonly action: "reject"; readonly why: string; readonly unless?: (value: unknown) => boolean };

const map = (to: string): ParamRule => ({ action: "map", to });
const drop = (why: string): ParamRule => ({ action: "drop", why });
const reject = (why: string, unless?: (value: unknown) => boolean): ParamRule =>
  unless === undefined ? { action: "reject", why } : { action: "reject", why, unless };

export const PARAMETER_RULES: Readonly<Record<string, ParamRule>> = Object.freeze({
  model: map("URL path segment models/{model}"),
  messages: map("systemInstruction + contents"),
  stream: map(":streamGenerateContent?alt=sse instead of :generateContent"),
  stream_options: map("consumed: Gemini reports usage on every stream; the usage chunk follows include_usage"),
  temperature: map("generationConfig.temperature"),
  top_p: map("generationConfig.topP"),
  top_k: map("generationConfig.topK (extension)"),
  max_completion_tokens: map("generationConfig.maxOutputTokens (wins over max_tokens)"),
  max_tokens: map("generationConfig.maxOutputTokens"),
  n: map("generationConfig.candidateCount"),
  stop: map("generationConfig.stopSequences"),
  seed: map("generationConfig.seed"),
  presence_penalty: map("generationConfig.presencePenalty"),
  frequency_penalty: map("generationConfig.frequencyPenalty"),
  logprobs: map("generationConfig.responseLogprobs"),
  top_logprobs: map("generationConfig.logprobs"),
  response_format: map("generationConfig.responseMimeType + responseSchema / responseJsonSchema"),
  reasoning_effort: map("generationConfig.thinkingConfig (thinkingLevel on gemini-3*, thinkingBudget otherwise)"),
  tools: map("tools[0].functionDeclarations"),
  tool_choice: map("toolConfig.functionCallingConfig"),
  parallel_tool_calls: drop("Gemini has no switch for parallel calls"),
  user: drop("no Gemini equivalent"),
  safety_identifier: drop("no Gemini equivalent"),
  metadata: drop("no Gemini equivalent (Vertex labels have stricter syntax)"),
  store: drop("OpenAI storage"),
  service_tier: drop("OpenAI tiers"),
  prompt_cache_key: drop("Gemini caches implicitly or via cachedContents"),
  logit_bias: drop("no Gemini equivalent"),
  verbosity: drop("no Gemini equivalent"),
  prediction: drop("a latency optimisation; ignoring it does not change the answer"),
  modalities: reject("Gemini chat through this gateway returns text only", (v) => Array.isArray(v) && v.every((m) => m === "text")),
  audio: reject("audio output is not supported by this provider"),
  web_search_options: reject("web search is not supported by this provider"),
  functions: reject("deprecated 'functions' are not supported: use 'tools'"),
  function_call: reject("deprecated 'function_call' is not supported: use 'tool_choice'"),
});

/** Throws for a rejected field that is present (null counts as absent). */
export function checkParameters(json: Readonly<Json>): void {
  for (const key of Object.keys(json)) {
    const rule = PARAMETER_RULES[key];
    const value = json[key];
    if (rule?.action !== "reject" || value === null || value === undefined) continue;
    if (rule.unless?.(value) === true) continue;
    throw invalid(`Parameter '${key}' is not supported: ${rule.why}.`, key);
  }
}

function num(json: Readonly<Json>, key: string, integer = false): number | undefined {
  const v = json[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw invalid(`'${key}' must be ${integer ? "an integer" : "a number"}.`, key);
  }
  return v;
}

const BUDGETS: Readonly<Record<string, number>> = { none: 0, minimal: 512, low: 1024, medium: 8192, high: 24576, xhigh: 32768 };

export function generationConfig(json: Readonly<Json>, upstreamModel: string, mode: SchemaMode): Json | undefined {
  const g: Json = {};
  const set = (k: string, v: unknown): void => {
    if (v !== undefined) g[k] = v;
  };
  set("temperature", num(json, "temperature"));
  set("topP", num(json, "top_p"));
  set("topK", num(json, "top_k", true));
  set("maxOutputTokens", num(json, "max_completion_tokens", true) ?? num(json, "max_tokens", true));
  set("candidateCount", num(json, "n", true));
  set("stopSequences", stops(json["stop"]));
  set("seed", num(json, "seed", true));
  set("presencePenalty", num(json, "presence_penalty"));
  set("frequencyPenalty", num(json, "frequency_penalty"));
  if (json["logprobs"] === true) {
    g["responseLogprobs"] = true;
    set("logprobs", num(json, "top_logprobs", true));
  }
  Object.assign(g, responseFormat(json["response_format"], mode));
  set("thinkingConfig", thinking(json["reasoning_effort"], upstreamModel));
  return Object.keys(g).length > 0 ? g : undefined;
}

function stops(stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  if (typeof stop === "string") return [stop];
  if (Array.isArray(stop) && stop.every((s) => typeof s === "string")) return stop.length > 0 ? stop : undefined;
  throw invalid("'stop' must be a string or an array of strings.", "stop");
}

function responseFormat(format: unknown, mode: SchemaMode): Json {
  if (format === undefined || format === null) return {};
  if (!isRecord(format)) throw invalid("'response_format' must be an object.", "response_format");
  const type = format["type"];
  if (type === "text") return {};
  if (type === "json_object") return { responseMimeType: "application/json" };
  if (type !== "json_schema") throw invalid(`response_format type '${String(type)}' is not supported.`, "response_format.type");
  const spec = format["json_schema"];
  const schema = isRecord(spec) ? spec["schema"] : undefined;
  if (!isRecord(schema)) return { responseMimeType: "application/json" };
  return mode === "json"
    ? { responseMimeType: "application/json", responseJsonSchema: schema }
    : { responseMimeType: "application/json", responseSchema: toGeminiSchema(schema) };
}

function thinking(effort: unknown, model: string): Json | undefined {
  if (effort === undefined || effort === null) return undefined;
  if (typeof effort !== "string" || BUDGETS[effort] === undefined) throw invalid(`Unsupported reasoning_effort '${String(effort)}'.`, "reasoning_effort");
  // Gemini 3 takes a level (low|high on every 3.x model [verify]); 2.5 takes a token budget (0 = off on Flash).
  if (model.includes("gemini-3")) return { thinkingLevel: effort === "medium" || effort === "high" || effort === "xhigh" ? "high" : "low" };
  return { thinkingBudget: BUDGETS[effort] };
}
