/**
 * The UsageBatch wire format, built in two parts so records never linger as objects: each record is
 * encoded the moment it is accounted (`encodeRecordField`: the batch's `records` field, tag and length
 * included), and a cut batch is its header and deltas followed by those bytes (protobuf allows a repeated
 * field anywhere in a message, in pieces). `decodeDeltas` reads back only the deltas of an encoded batch,
 * skipping the records. Pure.
 */
import protobuf from "protobufjs";
import { messageType, type RequestRecord, type UsageBatch, type UsageDelta } from "../../../proto";

const BATCH = messageType("UsageBatch");
const RECORD = messageType("RequestRecord");
const DELTA = messageType("UsageDelta");
const LENGTH_DELIMITED = 2;
const RECORDS_TAG = (fieldId("records") << 3) | LENGTH_DELIMITED;
const DELTAS_FIELD = fieldId("deltas");

function fieldId(name: string): number {
  const field = BATCH.fields[name];
  if (field === undefined) throw new Error(`UsageBatch has no field ${name}`);
  return field.id;
}

/** One record as a `records` field of UsageBatch (tag + length + message). */
export function encodeRecordField(record: RequestRecord): Uint8Array {
  const writer = protobuf.Writer.create();
  writer.uint32(RECORDS_TAG);
  // Records are built by the sidecar with exact field types: encoded directly (no verify / fromObject copy).
  return RECORD.encodeDelimited(record as unknown as Record<string, unknown>, writer).finish();
}

export type BatchHeader = Omit<UsageBatch, "records" | "deltas">;

/** The whole batch: header and deltas, then the records already encoded by `encodeRecordField`. */
export function encodeBatch(header: BatchHeader, deltas: readonly UsageDelta[], recordFields: Uint8Array): Buffer {
  const head = BATCH.encode({ ...header, records: [], deltas } as unknown as Record<string, unknown>).finish();
  return Buffer.concat([head, recordFields]);
}

/** How many records an encoded batch holds (they are skipped, not decoded). */
export function countRecords(encoded: Uint8Array): number {
  const reader = protobuf.Reader.create(encoded);
  let count = 0;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === RECORDS_TAG) count++;
    reader.skipType(tag & 7);
  }
  return count;
}

/** The per-(key, model) deltas of an encoded batch; the records are skipped, not decoded. */
export function decodeDeltas(encoded: Uint8Array): UsageDelta[] {
  const reader = protobuf.Reader.create(encoded);
  const deltas: UsageDelta[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === DELTAS_FIELD && (tag & 7) === LENGTH_DELIMITED) {
      deltas.push(DELTA.decode(reader, reader.uint32()) as unknown as UsageDelta);
    } else {
      reader.skipType(tag & 7);
    }
  }
  return deltas;
}
