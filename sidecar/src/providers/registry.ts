import { createAnthropicAdapter } from "./anthropic/adapter";
import { geminiAdapter, vertexAdapter } from "./gemini/adapter";
import { createOpenAiCompatibleAdapter } from "./openai-compatible/adapter";
import type { ProviderAdapter } from "./types";

/** The single list of providers. `Deployment.provider` in the policy names one of these keys. */
export const PROVIDERS = Object.freeze({
  openai: createOpenAiCompatibleAdapter("openai"),
  anthropic: createAnthropicAdapter(),
  gemini: geminiAdapter,
  vertex: vertexAdapter,
} satisfies Record<string, ProviderAdapter>);

export type ProviderId = keyof typeof PROVIDERS;

export function findAdapter(id: string): ProviderAdapter | undefined {
  return Object.prototype.hasOwnProperty.call(PROVIDERS, id) ? PROVIDERS[id as ProviderId] : undefined;
}
