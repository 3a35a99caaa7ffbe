import type { OpenCredential, PolicySnapshot, PolicyState, ProviderCredential, VersionedSnapshot } from "./types";

const byId = <T extends { readonly id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Builds the snapshot every sidecar holds from one consistent read of the store: revoked and already
 * expired keys are left out (sidecars still check `expiresAtMs` for keys that expire later), credentials
 * are opened with `open` (decryption is injected so this stays pure). Deterministic order, deeply frozen.
 */
export function assembleSnapshot(
  state: PolicyState,
  open: (credential: ProviderCredential) => OpenCredential,
  nowMs: number,
): VersionedSnapshot {
  const keys = state.keys.filter((k) => k.revokedAtMs === null && (k.expiresAtMs === null || k.expiresAtMs > nowMs));
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
