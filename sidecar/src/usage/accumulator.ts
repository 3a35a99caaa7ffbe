import type { RequestRecord, UsageDelta } from "../../../proto";
import { encodeRecordField } from "./batch-codec";
import { NO_ROOM, writeRecordField } from "./record-writer";

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
    let at = this.current === null ? NO_ROOM : writeRecordField(record, this.current, this.offset, this.current.length);
    if (at === NO_ROOM) at = writeRecordField(record, this.newChunk(CHUNK_BYTES), 0, CHUNK_BYTES);
    if (at < 0) {
      // Not exactly encodable by the writer (or, defensively, too big for a chunk): protobufjs encodes it.
      const bytes = encodeRecordField(record);
      const chunk = this.current !== null && this.offset + bytes.length <= this.current.length ? this.current : this.newChunk(Math.max(CHUNK_BYTES, bytes.length));
      chunk.set(bytes, this.offset);
      at = this.offset + bytes.length;
    }
    this.offset = at;
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

  /** Closes the current chunk and starts an empty one of `size` bytes. */
  private newChunk(size: number): Buffer {
    if (this.current !== null) this.chunks.push(this.current.subarray(0, this.offset));
    this.current = Buffer.allocUnsafeSlow(size);
    this.offset = 0;
    return this.current;
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
