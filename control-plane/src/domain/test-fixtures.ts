import { NO_LIMITS } from "./limits";
import type { PolicyState, ProviderCredential, VirtualKey } from "./types";
import type { RequestRecord, UsageBatch } from "./usage-types";

/** Small builders shared by the domain tests. */
export function key(id: string, over: Partial<VirtualKey> = {}): VirtualKey {
  return {
    id, teamId: "t1", name: "", userId: "", projectId: "", hash: Buffer.alloc(32, 1), previousHashes: [], display: "sk-sg-…abcd",
    allowedModels: [], limits: NO_LIMITS, metadata: {}, createdAtMs: 1, revokedAtMs: null, expiresAtMs: null, ...over,
  };
}

export function credential(id: string): ProviderCredential {
  const b = Buffer.alloc(12);
  return {
    id, provider: "openai", secretFields: ["api_key"], createdAtMs: 1, updatedAtMs: 1,
    sealed: { keyVersion: 1, wrappedKey: b, wrapIv: b, wrapTag: b, dataIv: b, dataTag: b, ciphertext: b },
  };
}

export function emptyState(over: Partial<PolicyState> = {}): PolicyState {
  return { version: 1, teams: [], keys: [], routes: [], deployments: [], credentials: [], prices: [], globalLimits: [], ...over };
}

export function record(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    requestId: "r1", keyId: "k1", teamId: "t1", userId: "", projectId: "", model: "m", provider: "openai",
    deploymentId: "d1", upstreamModel: "m", status: 200, errorCode: "", promptTokens: 1, completionTokens: 2,
    cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0.5, latencyMs: 3, ttftMs: 1, stream: false,
    startedAtMs: 1000, attempts: 1, endpoint: "/v1/chat/completions", tags: {}, ...over,
  };
}

export function batch(over: Partial<UsageBatch> = {}): UsageBatch {
  return { sidecarId: "s1", producerId: "p1", seq: 1, createdAtMs: 1, records: [record()], deltas: [], ...over };
}
