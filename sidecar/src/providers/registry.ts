import { createAnthropicAdapter } from "./anthropic/adapter";
import { MESSAGES_SURFACE } from "./anthropic/inbound/surface";
import { azureOpenAiAdapter } from "./azure-openai/adapter";
import { bedrockAdapter } from "./bedrock/adapter";
import { cohereAdapter } from "./cohere/adapter";
import { geminiAdapter, vertexAdapter } from "./gemini/adapter";
import { createOpenAiCompatibleAdapter } from "./openai-compatible/adapter";
import { OPENAI_COMPATIBLE_VENDORS } from "./openai-compatible/vendors";
import type { InboundSurface, ProviderAdapter } from "./types";

/** The single list of providers. `Deployment.provider` in the policy names one of these keys. */
export const PROVIDERS = Object.freeze({
  openai: createOpenAiCompatibleAdapter("openai"),
  anthropic: createAnthropicAdapter(),
  gemini: geminiAdapter,
  vertex: vertexAdapter,
  "azure-openai": azureOpenAiAdapter,
  cohere: cohereAdapter,
  bedrock: bedrockAdapter,
  ...OPENAI_COMPATIBLE_VENDORS,
} satisfies Record<string, ProviderAdapter>);

export type ProviderId = keyof typeof PROVIDERS;

export function findAdapter(id: string): ProviderAdapter | undefined {
  return Object.prototype.hasOwnProperty.call(PROVIDERS, id) ? PROVIDERS[id as ProviderId] : undefined;
}

/** Inbound API surfaces besides the canonical chat completions, by id (`ProviderAdapter.native` keys). */
export const SURFACES = Object.freeze({
  messages: MESSAGES_SURFACE,
} satisfies Record<string, InboundSurface>);
