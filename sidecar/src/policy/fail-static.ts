/**
 * Fail-static wiring: restores the sealed last-good snapshot at start (so a sidecar restarted while the
 * control plane is unreachable is ready and serves) and re-seals every snapshot the control plane confirms.
 */
import type { Logger } from "../telemetry/logger";
import type { PolicyIndex } from "./snapshot";
import { SnapshotFile } from "./snapshot-file";
import type { PolicyStore } from "./store";
import type { IndexBuilder } from "./watch";

export interface FailStatic<T> {
  /** When the restored snapshot was last confirmed; undefined when nothing was restored. */
  readonly restoredConfirmedAtMs: number | undefined;
  /** Hook for PolicyWatcher.onConfirmed; undefined when nothing is persisted. */
  readonly onConfirmed: ((index: PolicyIndex<T>) => void) | undefined;
}

export function setUpFailStatic<T>(
  dataDir: string | undefined,
  key: Buffer | undefined,
  store: PolicyStore<T>,
  build: IndexBuilder<T>,
  logger: Logger,
): FailStatic<T> {
  if (dataDir === undefined || key === undefined) {
    const missing = dataDir === undefined ? "SIDEGATE_DATA_DIR" : "SIDEGATE_SNAPSHOT_KEY / SIDEGATE_SNAPSHOT_KEY_FILE";
    logger.warn(`${missing} not set: the policy snapshot is not persisted, so a restart while the control plane is unreachable is not ready`);
    return { restoredConfirmedAtMs: undefined, onConfirmed: undefined };
  }
  const file = new SnapshotFile(dataDir, key);
  let restoredConfirmedAtMs: number | undefined;
  try {
    const persisted = file.load();
    if (persisted !== null) {
      store.set(build(persisted.version, persisted.issuedAtMs, persisted.snapshot), Date.now());
      restoredConfirmedAtMs = persisted.savedAtMs;
      logger.info(
        { version: persisted.version, confirmedAgoS: Math.round((Date.now() - persisted.savedAtMs) / 1000) },
        "policy restored from the persisted snapshot; serving it until the control plane answers",
      );
    }
  } catch (err) {
    logger.warn({ err: (err as Error).message }, "persisted policy snapshot unusable; ignoring it");
  }
  return {
    restoredConfirmedAtMs,
    onConfirmed: (index) => file.save(index.version, index.issuedAtMs, index.snapshot, Date.now()),
  };
}
