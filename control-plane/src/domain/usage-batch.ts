import type { UsageBatch } from "./usage-types";

/** Bounds on what one batch may carry; the sidecar flushes at 500 records. */
export const USAGE_LIMITS = Object.freeze({
  maxRecords: 10_000,
  maxDeltas: 10_000,
  maxIdLength: 128,
  maxFieldLength: 512,
  maxTags: 64,
});

const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const isMoney = (n: number): boolean => Number.isFinite(n) && n >= 0;

/** Returns why a batch is unacceptable, or undefined when it is fine. Pure. */
export function validateUsageBatch(batch: UsageBatch): string | undefined {
  const L = USAGE_LIMITS;
  if (batch.producerId.length === 0) return "producer_id must not be empty";
  if (batch.producerId.length > L.maxIdLength) return `producer_id longer than ${L.maxIdLength}`;
  if (batch.sidecarId.length > L.maxIdLength) return `sidecar_id longer than ${L.maxIdLength}`;
  if (!Number.isSafeInteger(batch.seq) || batch.seq < 1) return "seq must be an integer >= 1";
  if (batch.records.length > L.maxRecords) return `more than ${L.maxRecords} records`;
  if (batch.deltas.length > L.maxDeltas) return `more than ${L.maxDeltas} deltas`;
  for (const [i, r] of batch.records.entries()) {
    const strings = [r.requestId, r.keyId, r.teamId, r.userId, r.projectId, r.model, r.provider, r.deploymentId, r.upstreamModel, r.errorCode, r.endpoint];
    if (strings.some((s) => s.length > L.maxFieldLength)) return `records[${i}]: a field is longer than ${L.maxFieldLength}`;
    const counts = [r.promptTokens, r.completionTokens, r.cachedTokens, r.cacheWriteTokens, r.reasoningTokens, r.startedAtMs];
    if (!counts.every(isCount)) return `records[${i}]: token counts and started_at_ms must be non-negative integers`;
    if (!isMoney(r.costUsd)) return `records[${i}]: cost_usd must be a finite non-negative number`;
    const tags = Object.entries(r.tags);
    if (tags.length > L.maxTags) return `records[${i}]: more than ${L.maxTags} tags`;
    if (tags.some(([k, v]) => k.length > L.maxFieldLength || v.length > L.maxFieldLength)) return `records[${i}]: a tag is too long`;
  }
  for (const [i, d] of batch.deltas.entries()) {
    if ([d.keyId, d.teamId, d.model].some((s) => s.length > L.maxFieldLength)) return `deltas[${i}]: a field is too long`;
    if (![d.requests, d.promptTokens, d.completionTokens].every(isCount) || !isMoney(d.costUsd)) {
      return `deltas[${i}]: counts must be non-negative integers and cost_usd finite`;
    }
  }
  return undefined;
}
