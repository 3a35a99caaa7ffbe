import type { OpenCredential, PolicySnapshot, PolicyState, ProviderCredential, VersionedSnapshot, VirtualKey } from "./types";

/**
 * How long an expired key (or a rotated-out secret past its grace period) stays in the snapshot, so that
 * sidecars answer `key_expired` rather than `invalid_api_key` for it. Sidecars check expiry by their clock.
 */
export const EXPIRED_KEY_RETENTION_MS = 7 * 86_400_000;

const byId = <T extends { readonly id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Builds the snapshot every sidecar holds from one consistent read of the store: revoked keys are left out,
 * and so are keys and rotated-out secrets that expired more than EXPIRED_KEY_RETENTION_MS ago (sidecars check
 * `expiresAtMs` of everything else themselves, to the millisecond, without waiting for a push), credentials
 * are opened with `open` (decryption is injected so this stays pure). Deterministic order, deeply frozen.
 */
export function assembleSnapshot(
  state: PolicyState,
  open: (credential: ProviderCredential) => OpenCredential,
  nowMs: number,
): VersionedSnapshot {
  const cutoff = nowMs - EXPIRED_KEY_RETENTION_MS;
  const keys = state.keys
    .filter((k) => k.revokedAtMs === null && (k.expiresAtMs === null || k.expiresAtMs > cutoff))
    .map((k): VirtualKey => ({ ...k, previousHashes: k.previousHashes.filter((p) => p.expiresAtMs > cutoff) }));
  const snapshot: PolicySnapshot = {
    teams: [...state.teams].sort(byId),
    keys: keys.sort(byId),
    routes: [...state.routes].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0)),
    deployments: [...state.deployments].sort(byId),
    credentials: state.credentials.map(open).sort(byId),
    prices: [...state.prices].sort((a, b) => `${a.provider}\u0000${a.model}`.localeCompare(`${b.provider}\u0000${b.model}`)),
    priceCatalogVersion: state.prices.reduce((v, p) => (p.catalogVersion > v ? p.catalogVersion : v), ""),
    globalLimits: [...state.globalLimits].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0)),
  };
  return deepFreeze({ version: state.version, issuedAtMs: nowMs, snapshot });
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  return Object.freeze(value);
}
