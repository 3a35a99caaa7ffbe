/** Usage as reported by sidecars (domain form of UsageBatch / RequestRecord / UsageDelta). */

export interface RequestRecord {
  readonly requestId: string;
  readonly keyId: string;
  readonly teamId: string;
  readonly userId: string;
  readonly projectId: string;
  readonly model: string;
  readonly provider: string;
  readonly deploymentId: string;
  readonly upstreamModel: string;
  readonly status: number;
  readonly errorCode: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens: number;
  readonly reasoningTokens: number;
  readonly costUsd: number;
  readonly latencyMs: number;
  readonly ttftMs: number;
  readonly stream: boolean;
  readonly startedAtMs: number;
  readonly attempts: number;
  readonly endpoint: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface UsageDelta {
  readonly keyId: string;
  readonly teamId: string;
  readonly model: string;
  readonly requests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly costUsd: number;
}

export interface UsageBatch {
  readonly sidecarId: string;
  readonly producerId: string;
  readonly seq: number;
  readonly createdAtMs: number;
  readonly records: readonly RequestRecord[];
  readonly deltas: readonly UsageDelta[];
}

export type UsageGroupBy = "key_id" | "team_id" | "model" | "provider";

export interface UsageQuery {
  readonly groupBy?: UsageGroupBy;
  readonly fromMs?: number;
  readonly toMs?: number;
}

export interface UsageRow {
  readonly group: string;
  readonly requests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly costUsd: number;
}

export interface StoredRequestRecord extends RequestRecord {
  readonly sidecarId: string;
  readonly producerId: string;
  readonly seq: number;
  readonly receivedAtMs: number;
}
