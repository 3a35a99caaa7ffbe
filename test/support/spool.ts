import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { messageType } from "../../proto";
import { SPOOL_FILE } from "../../sidecar/src/usage/spool";
import { scanFrames } from "../../sidecar/src/usage/spool-frame";

/** Request records in a sidecar's spool (read-only, safe while the sidecar writes: a torn tail is skipped). */
export function spooledRecords(dataDir: string): number {
  const path = join(dataDir, SPOOL_FILE);
  if (!existsSync(path)) return 0;
  const file = readFileSync(path);
  const batch = messageType("UsageBatch");
  let records = 0;
  for (const frame of scanFrames((pos, len) => file.subarray(pos, pos + len), file.length).frames) {
    if (frame.payload[0] !== 2) continue; // batch frames: kind 2, then the seq (8 bytes), then the batch
    records += (batch.decode(frame.payload.subarray(9)) as unknown as { records: unknown[] }).records.length;
  }
  return records;
}

/** Sum of a Prometheus metric's samples in a text exposition. */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) if (line.startsWith(name)) sum += Number(line.split(" ").pop());
  return sum;
}
