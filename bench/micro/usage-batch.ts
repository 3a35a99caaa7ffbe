/**
 * Usage accounting as usage/reporter.ts does it: the accumulator (each record encoded as it is added,
 * per-key deltas), the cut of a batch (header + deltas + the encoded records), and reading the deltas
 * back from an acked batch.
 */
import type { RequestRecord } from "../../proto";
import { UsageAccumulator, type BatchContent } from "../../sidecar/src/usage/accumulator";
import { decodeDeltas, encodeBatch } from "../../sidecar/src/usage/batch-codec";
import type { MicroCase } from "./harness";

const BATCH = 1000;

/** A realistic finished-request record (varied key, model and counts by `i`). */
export function sampleRecord(i: number): RequestRecord {
  return {
    request_id: `req_${(1_000_000 + i).toString(36)}a8f3c2d1`,
    key_id: `key-${i % 20}`,
    team_id: "team-a",
    user_id: "",
    project_id: "",
    model: i % 3 === 0 ? "gpt-4o-mini" : "gpt-4o",
    provider: "openai",
    deployment_id: "openai-gpt-4o",
    upstream_model: "gpt-4o-2024-08-06",
    status: 200,
    error_code: "",
    prompt_tokens: 120 + (i % 50),
    completion_tokens: 20 + (i % 200),
    cached_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: 0.000425,
    latency_ms: 230 + (i % 100),
    ttft_ms: 180,
    stream: i % 2 === 0,
    started_at_ms: 1_767_225_600_000 + i,
    attempts: 1,
    endpoint: "/v1/chat/completions",
    tags: {},
  };
}

export function usageCases(): MicroCase[] {
  const records = Array.from({ length: BATCH }, (_, i) => sampleRecord(i));
  const accumulator = new UsageAccumulator(BATCH * 2, () => undefined);
  const take = (): BatchContent => {
    for (const r of records) accumulator.add(r);
    const content = accumulator.take();
    if (content === null) throw new Error("empty batch");
    return content;
  };
  const content = take();
  const header = { sidecar_id: "bench-sidecar", producer_id: "3b241101-e2bb-4255-8caf-4136c566a962", seq: 1, created_at_ms: Date.now() };
  const encoded = encodeBatch(header, content.deltas, content.recordFields);
  return [
    {
      group: "usage",
      name: `accumulator: add ${BATCH} records (each encoded at once, per-key deltas) + take`,
      itemsPerOp: BATCH,
      itemLabel: "records",
      run: () => take(),
    },
    {
      group: "usage",
      name: `UsageBatch cut: header + ${content.deltas.length} deltas + ${BATCH} encoded records`,
      bytesPerOp: encoded.length,
      itemsPerOp: BATCH,
      itemLabel: "records",
      note: `${encoded.length} B encoded; MB/s of output`,
      run: () => encodeBatch(header, content.deltas, content.recordFields),
    },
    {
      group: "usage",
      name: `deltas read back from an acked ${BATCH}-record batch (records skipped)`,
      bytesPerOp: encoded.length,
      itemsPerOp: BATCH,
      itemLabel: "records",
      run: () => decodeDeltas(encoded),
    },
  ];
}
