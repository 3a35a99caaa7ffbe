/**
 * OpenAI-compatible vendors as data (providers.md §7): one row per vendor, turned into adapters by
 * `createOpenAiCompatibleAdapter(id, row)`. Core code never sees these names; the registry spreads
 * `OPENAI_COMPATIBLE_VENDORS`.
 */
import type { ProviderAdapter } from "../types";
import { createOpenAiCompatibleAdapter } from "./adapter";
import type { EmbeddingsQuirks } from "./embeddings";
import type { FieldRule, VendorQuirks } from "./vendor-quirks";

const DROP: FieldRule = { action: "drop" };

/** OpenAI-only request fields (§1.2) that non-OpenAI servers reject or ignore; dropped unless a row keeps them. */
const OPENAI_ONLY: Readonly<Record<string, FieldRule>> = {
  store: DROP,
  metadata: DROP,
  service_tier: DROP,
  prompt_cache_key: DROP,
  safety_identifier: DROP,
  verbosity: DROP,
  prediction: DROP,
  web_search_options: DROP,
  audio: { action: "reject", reason: "audio output is not available" },
  modalities: { action: "reject", unless: '["text"]', reason: "only text output is available" },
};

/** OPENAI_ONLY minus fields the vendor supports natively. */
function openAiOnlyExcept(...kept: string[]): Record<string, FieldRule> {
  return Object.fromEntries(Object.entries(OPENAI_ONLY).filter(([k]) => !kept.includes(k)));
}

const NONE: Readonly<Record<string, string>> = {};

/**
 * Embeddings of an OpenAI-shaped vendor unless its row says otherwise: text only, floats requested upstream
 * (the sidecar encodes base64), `user` dropped; 2048 inputs per call as OpenAI.
 */
const EMBED: EmbeddingsQuirks = Object.freeze({ maxBatch: 2048, fields: { user: DROP }, tokenInputs: false, base64: false });

function embed(q: Partial<EmbeddingsQuirks>): EmbeddingsQuirks {
  return Object.freeze({ ...EMBED, ...q });
}

const BASE: VendorQuirks = {
  defaultBaseUrl: null,
  auth: "bearer",
  optionHeaders: NONE,
  maxTokens: "either",
  fields: {},
  dropMessageFields: [],
  toolCallIds: "keep",
  mergeConsecutiveRoles: false,
  streamUsage: "include_usage",
  finishReasons: NONE,
  rateLimitHeaders: NONE,
  errorShapes: ["openai"],
  embeddings: EMBED,
};

function row(q: Partial<VendorQuirks>): VendorQuirks {
  return Object.freeze({ ...BASE, ...q });
}

export const VENDOR_QUIRKS = Object.freeze({
  mistral: row({
    defaultBaseUrl: "https://api.mistral.ai/v1",
    maxTokens: "max_tokens",
    fields: {
      ...openAiOnlyExcept("prediction"),
      seed: { action: "rename", to: "random_seed" },
      user: DROP,
      logit_bias: DROP,
      logprobs: DROP,
      top_logprobs: DROP,
      reasoning_effort: DROP,
    },
    toolCallIds: "alnum9",
    streamUsage: "final-chunk",
    finishReasons: { model_length: "length", error: "stop" },
    rateLimitHeaders: {
      "x-ratelimit-limit-req-minute": "x-ratelimit-limit-requests",
      "x-ratelimit-remaining-req-minute": "x-ratelimit-remaining-requests",
      "x-ratelimit-limit-tokens-minute": "x-ratelimit-limit-tokens",
      "x-ratelimit-remaining-tokens-minute": "x-ratelimit-remaining-tokens",
    },
    errorShapes: ["flat", "detail"],
    // Mistral names the size `output_dimension`; `encoding_format` takes float | base64.
    embeddings: embed({ fields: { user: DROP, dimensions: { action: "rename", to: "output_dimension" } }, base64: true }),
  }),
  groq: row({
    defaultBaseUrl: "https://api.groq.com/openai/v1",
    fields: {
      ...OPENAI_ONLY,
      logprobs: DROP,
      top_logprobs: DROP,
      logit_bias: DROP,
      n: { action: "reject", unless: "1", reason: "n must be 1" },
    },
    dropMessageFields: ["name"],
    errorShapes: ["openai"],
    embeddings: null,
  }),
  deepinfra: row({
    defaultBaseUrl: "https://api.deepinfra.com/v1/openai",
    maxTokens: "max_tokens",
    fields: { ...OPENAI_ONLY },
    errorShapes: ["openai", "detail"],
  }),
  together: row({
    defaultBaseUrl: "https://api.together.xyz/v1",
    maxTokens: "max_tokens",
    fields: { ...OPENAI_ONLY },
    finishReasons: { eos: "stop" },
    errorShapes: ["openai", "string"],
  }),
  fireworks: row({
    defaultBaseUrl: "https://api.fireworks.ai/inference/v1",
    maxTokens: "max_tokens",
    fields: { ...OPENAI_ONLY },
    streamUsage: "final-chunk",
  }),
  perplexity: row({
    defaultBaseUrl: "https://api.perplexity.ai",
    maxTokens: "max_tokens",
    fields: {
      ...openAiOnlyExcept("web_search_options"),
      tools: { action: "reject", reason: "Sonar has no tool calling" },
      tool_choice: DROP,
      parallel_tool_calls: DROP,
      logit_bias: DROP,
      logprobs: DROP,
      top_logprobs: DROP,
      n: { action: "reject", unless: "1", reason: "n must be 1" },
    },
    mergeConsecutiveRoles: true,
    streamUsage: "final-chunk",
    embeddings: null,
  }),
  openrouter: row({
    defaultBaseUrl: "https://openrouter.ai/api/v1",
    optionHeaders: { http_referer: "http-referer", app_title: "x-title" },
    finishReasons: { error: "stop" },
    errorShapes: ["numeric-code"],
  }),
  ollama: row({
    defaultBaseUrl: "http://localhost:11434/v1",
    auth: "bearer-optional",
    maxTokens: "max_tokens",
    errorShapes: ["openai", "string"],
  }),
  // vLLM mirrors OpenAI's embeddings API (token ids, base64) for the embedding models it serves.
  vllm: row({ auth: "bearer-optional", errorShapes: ["openai", "flat"], embeddings: embed({ fields: {}, tokenInputs: true, base64: true }) }),
  "openai-compatible": row({ auth: "bearer-optional" }),
} satisfies Record<string, VendorQuirks>);

export type VendorId = keyof typeof VENDOR_QUIRKS;

/** id → adapter, for the registry: `{ ...OPENAI_COMPATIBLE_VENDORS }`. */
export const OPENAI_COMPATIBLE_VENDORS: Readonly<Record<VendorId, ProviderAdapter>> = Object.freeze(
  Object.fromEntries(Object.entries(VENDOR_QUIRKS).map(([id, q]) => [id, createOpenAiCompatibleAdapter(id, q)])) as Record<VendorId, ProviderAdapter>,
);
