/**
 * The documented rule for every OpenAI chat field when the upstream is Cohere `/v2/chat` (providers.md §6.2).
 * `map` = translated (see request.ts), `drop` = not sent (no Cohere equivalent, output unaffected or only a
 * hint), `reject` = buildChatRequest throws invalid_request with the field as `param`, because silently
 * ignoring it would change what the client gets. Fields not listed are dropped (never forwarded blindly).
 */
export type CohereRule =
  | { readonly action: "map"; readonly to: string }
  | { readonly action: "drop"; readonly why: string }
  | { readonly action: "reject"; readonly unless?: string; readonly why: string };

const map = (to: string): CohereRule => ({ action: "map", to });
const drop = (why: string): CohereRule => ({ action: "drop", why });
const reject = (why: string, unless?: string): CohereRule => (unless === undefined ? { action: "reject", why } : { action: "reject", why, unless });

export const COHERE_FIELD_RULES: Readonly<Record<string, CohereRule>> = Object.freeze({
  model: map("model"),
  messages: map("messages"),
  stream: map("stream"),
  stream_options: drop("Cohere always reports usage in message-end; include_usage is applied by the decoder"),
  temperature: map("temperature"),
  top_p: map("p"),
  max_tokens: map("max_tokens"),
  max_completion_tokens: map("max_tokens (wins over max_tokens)"),
  stop: map("stop_sequences"),
  seed: map("seed"),
  frequency_penalty: map("frequency_penalty"),
  presence_penalty: map("presence_penalty"),
  logprobs: map("logprobs"),
  top_logprobs: drop("Cohere returns no alternatives"),
  response_format: map("response_format (json_schema → json_object + json_schema)"),
  tools: map("tools"),
  tool_choice: map("tool_choice (REQUIRED/NONE; named → only that tool + REQUIRED)"),
  functions: map("tools (legacy)"),
  function_call: map("tool_choice (legacy)"),
  parallel_tool_calls: drop("Cohere decides; no switch"),
  reasoning_effort: map("thinking"),
  n: reject("Cohere returns one choice", "1"),
  logit_bias: reject("Cohere has no token biasing"),
  audio: reject("Cohere has no audio output"),
  modalities: reject("Cohere has text output only", '["text"]'),
  web_search_options: reject("Cohere chat has no web search"),
  documents: reject("RAG documents are Cohere-specific; send them as message text or tool results"),
  user: drop("OpenAI-only attribution"),
  safety_identifier: drop("OpenAI-only attribution"),
  metadata: drop("OpenAI-only"),
  store: drop("OpenAI-only"),
  service_tier: drop("OpenAI-only"),
  prompt_cache_key: drop("OpenAI-only cache hint"),
  verbosity: drop("OpenAI-only hint"),
  prediction: drop("OpenAI-only latency hint"),
});
