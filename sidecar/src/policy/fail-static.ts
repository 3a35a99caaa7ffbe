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
  /** Writes a pending snapshot now (shutdown). */
  flush(): void;
}

/** Bursts of updates (key deltas) are coalesced: at most one sealed write per interval, always the latest. */
const WRITE_EVERY_MS = 1000;

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
    return { restoredConfirmedAtMs: undefined, onConfirmed: undefined, flush: () => undefined };
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
  let pending: { index: PolicyIndex<T>; at: number } | null = null;
  let timer: NodeJS.Timeout | null = null;
  let lastWrite = 0;
  const write = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const next = pending;
    pending = null;
    if (next === null) return;
    lastWrite = Date.now();
    try {
      file.save(next.index.version, next.index.issuedAtMs, next.index.snapshot, next.at);
    } catch (err) {
      logger.warn({ err: (err as Error).message, version: next.index.version }, "could not persist the policy snapshot");
    }
  };
  return {
    restoredConfirmedAtMs,
    onConfirmed: (index) => {
      pending = { index, at: Date.now() };
      if (timer !== null) return;
      const wait = lastWrite + WRITE_EVERY_MS - Date.now();
      if (wait <= 0) write();
      else {
        timer = setTimeout(write, wait);
        timer.unref();
      }
    },
    flush: write,
  };
}
