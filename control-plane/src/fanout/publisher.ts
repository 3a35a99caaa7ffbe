import { assembleSnapshot } from "../domain/snapshot";
import type { OpenCredential, ProviderCredential, VersionedSnapshot } from "../domain/types";
import type { Store } from "../store/types";
import type { Logger } from "../telemetry/logger";
import type { ControlPlaneMetrics } from "../telemetry/metrics";
import type { Broadcaster } from "./broadcaster";

export interface PolicyPublisher {
  /** Rebuilds the snapshot from the store and broadcasts it if newer. Concurrent calls coalesce. */
  refresh(): Promise<VersionedSnapshot | undefined>;
}

/**
 * Builds a snapshot per policy version from one consistent store read and hands it to the broadcaster.
 * At most one build runs at a time; calls made during a build trigger exactly one more build afterwards.
 */
export function createPolicyPublisher(deps: {
  store: Store;
  broadcaster: Broadcaster;
  openCredential: (c: ProviderCredential) => OpenCredential;
  logger: Logger;
  metrics: ControlPlaneMetrics;
  now?: () => number;
}): PolicyPublisher {
  const now = deps.now ?? Date.now;
  let running: Promise<VersionedSnapshot | undefined> | undefined;
  let again: Promise<VersionedSnapshot | undefined> | undefined;

  async function build(): Promise<VersionedSnapshot | undefined> {
    const state = await deps.store.readPolicyState();
    const current = deps.broadcaster.current;
    if (current !== undefined && state.version <= current.version) return current;
    const snapshot = assembleSnapshot(state, deps.openCredential, now());
    if (deps.broadcaster.publish(snapshot)) {
      deps.metrics.policyVersion.set(snapshot.version);
      deps.metrics.policyPublishes.inc();
      deps.logger.debug({ policyVersion: snapshot.version, keys: snapshot.snapshot.keys.length }, "policy snapshot published");
    }
    return snapshot;
  }

  const refresh = (): Promise<VersionedSnapshot | undefined> => {
    if (running === undefined) {
      running = build().finally(() => {
        running = undefined;
      });
      return running;
    }
    again ??= running.catch(() => undefined).then(() => {
      again = undefined;
      return refresh();
    });
    return again;
  };
  return { refresh };
}
