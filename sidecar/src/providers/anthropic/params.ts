/**
 * What happens to each OpenAI chat request field on its way to Anthropic (providers.md §3.2). The request
 * body is built from scratch, so a field not listed here is never sent (rule "drop").
 * - map: translated by request.ts / messages.ts
 * - drop: Anthropic has no equivalent that changes the answer; ignored
 * - reject: 400 invalid_request with `param` = the field, when `rejectIf` holds (default: any non-null value)
 */
export type ParamAction = "map" | "drop" | "reject";

export interface ParamRule {
  readonly action: ParamAction;
  /** For "reject": the values that are rejected (others are accepted and ignored). */
  readonly rejectIf?: (value: unknown) => boolean;
  readonly why?: string;
}

const MAP: ParamRule = { action: "map" };
const DROP: ParamRule = { action: "drop" };

export const PARAM_RULES: Readonly<Record<string, ParamRule>> = Object.freeze({
  model: MAP,
  messages: MAP,
  stream: MAP,
  max_tokens: MAP,
  max_completion_tokens: MAP,
  temperature: MAP,
  top_p: MAP,
  top_k: MAP,
  stop: MAP,
  tools: MAP,
  tool_choice: MAP,
  parallel_tool_calls: MAP,
  response_format: MAP,
  reasoning_effort: MAP,
  user: MAP,
  safety_identifier: MAP,
  stream_options: { action: "drop", why: "Anthropic always streams usage; the usage chunk is emitted per include_usage" },
  n: { action: "reject", rejectIf: (v) => v !== 1, why: "Anthropic returns one choice" },
  seed: DROP,
  logprobs: DROP,
  top_logprobs: DROP,
  logit_bias: DROP,
  presence_penalty: DROP,
  frequency_penalty: DROP,
  metadata: DROP,
  store: DROP,
  service_tier: DROP,
  verbosity: DROP,
  prompt_cache_key: DROP,
  prediction: DROP,
  modalities: {
    action: "reject",
    rejectIf: (v) => Array.isArray(v) && v.some((m) => m !== "text"),
    why: "Anthropic answers with text only",
  },
  audio: { action: "reject", why: "no audio output" },
  web_search_options: { action: "reject", why: "OpenAI-hosted web search" },
  functions: { action: "reject", why: "deprecated; send tools" },
  function_call: { action: "reject", why: "deprecated; send tool_choice" },
});

/** The first field whose rule rejects the given value, or null. */
export function rejectedParam(json: Readonly<Record<string, unknown>>): string | null {
  for (const key in json) {
    const rule = PARAM_RULES[key];
    if (rule === undefined || rule.action !== "reject") continue;
    const value = json[key];
    if (value === undefined || value === null) continue;
    if (rule.rejectIf === undefined || rule.rejectIf(value)) return key;
  }
  return null;
}
