import type { RequestRecord, UsageDelta } from "../../../proto";
import { encodeRecordField } from "./batch-codec";

export interface BatchContent {
  /** The records, each already encoded as a UsageBatch `records` field, concatenated. */
  readonly recordFields: Buffer;
  readonly count: number;
  /** Per-(key, model) sums over the records. */
  readonly deltas: UsageDelta[];
}

const CHUNK_BYTES = 64 * 1024;

/** Records collected for one batch, as bytes plus running deltas. */
class OpenBatch {
  count = 0;
  private readonly chunks: Buffer[] = [];
  private current: Buffer | null = null;
  private offset = 0;
  private readonly byKey = new Map<string, Map<string, UsageDelta>>();

  add(record: RequestRecord): void {
    const bytes = encodeRecordField(record);
    let current = this.current;
    if (current === null || this.offset + bytes.length > current.length) {
      if (current !== null) this.chunks.push(current.subarray(0, this.offset));
      current = this.current = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, bytes.length));
      this.offset = 0;
    }
    current.set(bytes, this.offset);
    this.offset += bytes.length;
    this.count++;
    let byModel = this.byKey.get(record.key_id);
    if (byModel === undefined) this.byKey.set(record.key_id, (byModel = new Map()));
    let delta = byModel.get(record.model);
    if (delta === undefined) {
      delta = { key_id: record.key_id, team_id: record.team_id, model: record.model, requests: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: 0 };
      byModel.set(record.model, delta);
    }
    delta.requests += 1;
    delta.prompt_tokens += record.prompt_tokens;
    delta.completion_tokens += record.completion_tokens;
    delta.cost_usd += record.cost_usd;
  }

  seal(): BatchContent {
    const parts = this.current === null ? this.chunks : [...this.chunks, this.current.subarray(0, this.offset)];
    const deltas: UsageDelta[] = [];
    for (const byModel of this.byKey.values()) for (const delta of byModel.values()) deltas.push(delta);
    return { recordFields: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), count: this.count, deltas };
  }
}

/**
 * Collects finished-request records until the reporter cuts a batch. `add` encodes the record at once (no
 * record object outlives its request, so none survives into the old generation) and never blocks;
 * a batch that reaches `maxRecords` is sealed and `onFull` is called (the reporter schedules a cut).
 */
export class UsageAccumulator {
  private open = new OpenBatch();
  private readonly sealed: BatchContent[] = [];

  constructor(
    private readonly maxRecords: number,
    private readonly onFull: () => void,
  ) {}

  /** Records not yet taken. */
  get size(): number {
    let n = this.open.count;
    for (const batch of this.sealed) n += batch.count;
    return n;
  }

  add(record: RequestRecord): void {
    this.open.add(record);
    if (this.open.count === this.maxRecords) {
      this.sealed.push(this.open.seal());
      this.open = new OpenBatch();
      this.onFull();
    }
  }

  /** The oldest batch of at most `maxRecords` records with its deltas; null when empty. */
  take(): BatchContent | null {
    const full = this.sealed.shift();
    if (full !== undefined) return full;
    if (this.open.count === 0) return null;
    const content = this.open.seal();
    this.open = new OpenBatch();
    return content;
  }
}
