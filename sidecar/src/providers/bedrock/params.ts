/**
 * The documented rule for every OpenAI chat field when translating to Converse. `map` fields are translated
 * by request.ts; `drop` fields are not sent (no Converse equivalent, and they do not change the response
 * shape); `reject` fields answer 400 invalid_request with `param` unless their value is one of the benign
 * defaults. Fields not listed are unknown to the translator and are not sent either.
 */
import { invalidParam, isRecord } from "./json";

export type ParamRule =
  | { readonly action: "map" }
  | { readonly action: "drop" }
  | { readonly action: "reject"; readonly allows: (value: unknown) => boolean; readonly why: string };

const MAP = { action: "map" } as const;
const DROP = { action: "drop" } as const;
const unset = (v: unknown): boolean => v === undefined || v === null || v === false;
const reject = (why: string, allows: (value: unknown) => boolean = unset): ParamRule => ({ action: "reject", allows, why });

export const PARAM_RULES: Readonly<Record<string, ParamRule>> = Object.freeze({
  model: MAP, // → path /model/{upstream model}/…
  messages: MAP, // → system + messages
  stream: MAP, // → /converse-stream
  stream_options: MAP, // include_usage is honoured by the decoder (Bedrock always reports usage)
  max_completion_tokens: MAP, // → inferenceConfig.maxTokens (wins over max_tokens)
  max_tokens: MAP,
  temperature: MAP, // → inferenceConfig.temperature
  top_p: MAP, // → inferenceConfig.topP
  stop: MAP, // → inferenceConfig.stopSequences
  tools: MAP, // → toolConfig.tools
  tool_choice: MAP, // → toolConfig.toolChoice
  response_format: MAP, // json_schema/json_object → forced tool or outputConfig
  n: reject("Bedrock Converse returns one choice; n must be 1.", (v) => unset(v) || v === 1),
  logprobs: reject("Bedrock Converse does not return log probabilities."),
  top_logprobs: reject("Bedrock Converse does not return log probabilities.", (v) => unset(v) || v === 0),
  audio: reject("Audio output is not supported by Bedrock Converse."),
  modalities: reject("Only text output is supported by Bedrock Converse.", (v) => unset(v) || (Array.isArray(v) && v.every((m) => m === "text"))),
  web_search_options: reject("Web search is not available on Bedrock Converse."),
  functions: reject("The deprecated 'functions' field is not translated; send 'tools'."),
  function_call: reject("The deprecated 'function_call' field is not translated; send 'tool_choice'."),
  parallel_tool_calls: DROP,
  seed: DROP,
  presence_penalty: DROP,
  frequency_penalty: DROP,
  logit_bias: DROP,
  reasoning_effort: DROP, // model-specific (additionalModelRequestFields); not guessed
  user: DROP,
  safety_identifier: DROP,
  metadata: DROP,
  store: DROP,
  service_tier: DROP,
  prompt_cache_key: DROP,
  verbosity: DROP,
  prediction: DROP,
});

/** Throws invalid_request for the first field whose rule rejects its value. */
export function checkParams(json: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(json)) {
    const rule = PARAM_RULES[key];
    if (rule !== undefined && rule.action === "reject" && !rule.allows(json[key])) throw invalidParam(key, rule.why);
  }
  const options = json["stream_options"];
  if (options !== undefined && options !== null && !isRecord(options)) throw invalidParam("stream_options", "stream_options must be an object.");
}
