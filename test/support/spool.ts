import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { messageType } from "../../proto";
import { SPOOL_FILE } from "../../sidecar/src/usage/spool";
import { scanFrames } from "../../sidecar/src/usage/spool-frame";

/**
 * Request records in a sidecar's spool whose request id starts with `requestIdPrefix` (all by default).
 * Read-only, safe while the sidecar writes: a torn tail is skipped. Acknowledged batches stay in the file
 * until its next compaction, so a count of new records needs a prefix only they carry.
 */
export function spooledRecords(dataDir: string, requestIdPrefix = ""): number {
  const path = join(dataDir, SPOOL_FILE);
  if (!existsSync(path)) return 0;
  const file = readFileSync(path);
  const batch = messageType("UsageBatch");
  let records = 0;
  for (const frame of scanFrames((pos, len) => file.subarray(pos, pos + len), file.length).frames) {
    if (frame.payload[0] !== 2) continue; // batch frames: kind 2, then the seq (8 bytes), then the batch
    const decoded = batch.decode(frame.payload.subarray(9)) as unknown as { records: { request_id: string }[] };
    for (const r of decoded.records) if (r.request_id.startsWith(requestIdPrefix)) records++;
  }
  return records;
}

/** Sum of a Prometheus metric's samples in a text exposition. */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) if (line.startsWith(name)) sum += Number(line.split(" ").pop());
  return sum;
}
