/**
 * The control plane's side of usage accounting, per batch as UsageService.Report handles it: the gRPC
 * deserializer (protobuf decode + plain objects), conversion and validation, then the SQLite insert of
 * every record and delta in one transaction (in memory, so the disk is not what is measured).
 */
import BetterSqlite3 from "better-sqlite3";
import { serviceDefinition, type UsageBatch as WireBatch } from "../../proto";
import { usageBatchFromProto } from "../../control-plane/src/grpc/convert";
import { validateUsageBatch } from "../../control-plane/src/domain/usage-batch";
import { runMigrations } from "../../control-plane/src/store/migrations";
import { createUsageTables } from "../../control-plane/src/store/sqlite/usage";
import { UsageAccumulator } from "../../sidecar/src/usage/accumulator";
import { encodeBatch } from "../../sidecar/src/usage/batch-codec";
import type { MicroCase } from "./harness";
import { sampleRecord } from "./usage-batch";

const BATCH = 1000;
/** Distinct batches stored into one database before it is replaced by a fresh one. */
const POOL = 100;

/** POOL encoded batches whose records start later batch by batch, as a sidecar's would. */
function encodedBatches(): Buffer[] {
  const out: Buffer[] = [];
  for (let b = 0; b < POOL; b++) {
    const accumulator = new UsageAccumulator(BATCH, () => undefined);
    for (let i = 0; i < BATCH; i++) {
      const r = sampleRecord(i);
      accumulator.add({ ...r, started_at_ms: r.started_at_ms + b * BATCH });
    }
    const content = accumulator.take();
    if (content === null) throw new Error("empty batch");
    const header = { sidecar_id: "bench-sidecar", producer_id: "3b241101-e2bb-4255-8caf-4136c566a962", seq: b + 1, created_at_ms: 1_767_225_600_000 + b };
    out.push(encodeBatch(header, content.deltas, content.recordFields));
  }
  return out;
}

export function usageIngestCases(): MicroCase[] {
  const batches = encodedBatches();
  const encoded = batches[0] as Buffer;
  const deserialize = serviceDefinition("UsageService")["Report"]?.requestDeserialize as (bytes: Buffer) => WireBatch;
  const store = (bytes: Buffer, tables: ReturnType<typeof createUsageTables>): boolean => {
    const batch = usageBatchFromProto(deserialize(bytes), "bench-sidecar");
    const problem = validateUsageBatch(batch);
    if (problem !== undefined) throw new Error(problem);
    return tables.insertBatch(batch, 1_767_225_700_000);
  };
  let db: BetterSqlite3.Database | null = null;
  let insert: (bytes: Buffer) => boolean = () => false;
  let next = POOL;
  const ingestNext = (): boolean => {
    if (next === POOL) {
      db?.close();
      const fresh = new BetterSqlite3(":memory:");
      runMigrations(fresh);
      const tables = createUsageTables(fresh);
      insert = fresh.transaction((bytes: Buffer) => store(bytes, tables));
      db = fresh;
      next = 0;
    }
    if (!insert(batches[next++] as Buffer)) throw new Error("batch not stored");
    return true;
  };
  return [
    {
      group: "control plane ingest",
      name: `UsageBatch decode + convert + validate (${BATCH} records)`,
      bytesPerOp: encoded.length,
      itemsPerOp: BATCH,
      itemLabel: "records",
      run: () => validateUsageBatch(usageBatchFromProto(deserialize(encoded), "bench-sidecar")),
    },
    {
      group: "control plane ingest",
      name: `decode + validate + SQLite insert in one transaction (${BATCH} records, 3 indexes)`,
      itemsPerOp: BATCH,
      itemLabel: "records",
      note: `in-memory database, replaced every ${POOL} batches`,
      run: ingestNext,
    },
  ];
}
