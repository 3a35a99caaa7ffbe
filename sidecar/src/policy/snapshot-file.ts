/**
 * The last good policy snapshot, kept encrypted (AES-256-GCM) in the data dir so that a sidecar restarted
 * while the control plane is unreachable can serve (fail-static). The file is a sealed proto PolicyUpdate
 * (body = full snapshot) prefixed by the wall-clock time it was last confirmed by the control plane.
 * Written atomically; one writer per data dir.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { messageType, TO_OBJECT, type PolicySnapshot, type PolicyUpdate } from "../../../proto";
import { writeFileAtomic } from "../persist/atomic-file";
import { open, seal } from "../persist/sealed-box";

export const SNAPSHOT_FILE = "policy-snapshot.sealed";
const MAGIC = Buffer.from("SGP1");

export interface PersistedSnapshot {
  readonly version: number;
  readonly issuedAtMs: number;
  /** When the control plane last confirmed this snapshot (staleness is measured from here). */
  readonly savedAtMs: number;
  readonly snapshot: PolicySnapshot;
}

export class SnapshotFile {
  private readonly path: string;

  constructor(dataDir: string, private readonly key: Buffer) {
    this.path = join(dataDir, SNAPSHOT_FILE);
  }

  save(version: number, issuedAtMs: number, snapshot: PolicySnapshot, savedAtMs: number): void {
    const update = messageType("PolicyUpdate");
    const body = update.encode(update.fromObject({ version, issued_at_ms: issuedAtMs, snapshot })).finish();
    const stamped = Buffer.alloc(8 + body.length);
    stamped.writeDoubleBE(savedAtMs, 0);
    stamped.set(body, 8);
    writeFileAtomic(this.path, seal(this.key, MAGIC, stamped));
  }

  /** null when there is no file; throws (SealedBoxError, decode errors) when it cannot be used. */
  load(): PersistedSnapshot | null {
    if (!existsSync(this.path)) return null;
    const plain = open(this.key, MAGIC, readFileSync(this.path));
    const type = messageType("PolicyUpdate");
    const update = type.toObject(type.decode(plain.subarray(8)), TO_OBJECT) as PolicyUpdate;
    if (update.snapshot === undefined || update.snapshot === null) throw new Error("persisted policy has no snapshot body");
    return { version: update.version, issuedAtMs: update.issued_at_ms, savedAtMs: plain.readDoubleBE(0), snapshot: update.snapshot };
  }
}
