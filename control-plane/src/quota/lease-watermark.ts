/**
 * The time until which leases granted by this control plane (or its previous incarnation) may still be
 * held, kept in a small file in the data dir. A control plane started before that time rebuilds its view
 * from what sidecars report before granting anything new; one started after it (or for the first time)
 * grants at once. Written at most once per `everyMs`, always covering the next `everyMs` of grants.
 */
import { readFileSync, writeFile } from "node:fs";
import { join } from "node:path";

const FILE = "lease-watermark";

export function readLeaseWatermark(dataDir: string): number {
  try {
    const value = Number(readFileSync(join(dataDir, FILE), "utf8").trim());
    return Number.isFinite(value) ? value : 0;
  } catch {
    return 0;
  }
}

export function leaseWatermarkWriter(dataDir: string, horizonMs: number, everyMs = 1000): (nowMs: number) => void {
  let coveredUntil = 0;
  let writing = false;
  return (nowMs) => {
    if (writing || coveredUntil - everyMs / 2 > nowMs + horizonMs) return;
    const until = nowMs + horizonMs + everyMs;
    writing = true;
    writeFile(join(dataDir, FILE), String(until), { mode: 0o600 }, () => {
      writing = false;
      coveredUntil = until;
    });
  };
}
