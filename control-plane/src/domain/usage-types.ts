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

export const USAGE_GROUP_BY = ["key_id", "team_id", "user_id", "project_id", "model", "provider", "status"] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BY)[number];

/** Every filter is optional; `teams` restricts to those teams (team-scoped admin tokens). Time is on started_at. */
export interface UsageFilter {
  readonly keyId?: string;
  readonly teamId?: string;
  readonly userId?: string;
  readonly projectId?: string;
  readonly model?: string;
  readonly provider?: string;
  readonly status?: number;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly teams?: readonly string[];
}

export interface UsageQuery extends UsageFilter {
  readonly groupBy?: UsageGroupBy;
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
