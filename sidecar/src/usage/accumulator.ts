import type { RequestRecord, UsageDelta } from "../../../proto";

export interface BatchContent {
  readonly records: RequestRecord[];
  readonly deltas: UsageDelta[];
}

/**
 * Collects finished-request records until the reporter cuts a batch. `add` is O(1) and never blocks;
 * reaching `maxRecords` calls `onFull` (the reporter schedules a cut).
 */
export class UsageAccumulator {
  private records: RequestRecord[] = [];

  constructor(
    private readonly maxRecords: number,
    private readonly onFull: () => void,
  ) {}

  get size(): number {
    return this.records.length;
  }

  add(record: RequestRecord): void {
    this.records.push(record);
    if (this.records.length === this.maxRecords) this.onFull();
  }

  /** Up to `maxRecords` records plus their per-(key, model) deltas; null when empty. */
  take(): BatchContent | null {
    if (this.records.length === 0) return null;
    let records: RequestRecord[];
    if (this.records.length <= this.maxRecords) {
      records = this.records;
      this.records = [];
    } else {
      records = this.records.splice(0, this.maxRecords);
    }
    return { records, deltas: aggregate(records) };
  }
}

export function aggregate(records: readonly RequestRecord[]): UsageDelta[] {
  const byKey = new Map<string, UsageDelta>();
  for (const r of records) {
    const id = `${r.key_id}\u0000${r.model}`;
    let delta = byKey.get(id);
    if (delta === undefined) {
      delta = {
        key_id: r.key_id,
        team_id: r.team_id,
        model: r.model,
        requests: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        cost_usd: 0,
      };
      byKey.set(id, delta);
    }
    delta.requests += 1;
    delta.prompt_tokens += r.prompt_tokens;
    delta.completion_tokens += r.completion_tokens;
    delta.cost_usd += r.cost_usd;
  }
  return [...byKey.values()];
}
