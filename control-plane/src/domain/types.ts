/** Domain model of the control plane: what the store persists and the snapshot is built from. */

/** Budget on a team or key. `limitUsd` in USD. */
export interface Budget {
  readonly id: string;
  readonly limitUsd: number;
  readonly period: "day" | "week" | "month" | "lifetime";
  readonly hard: boolean;
  /** IANA zone; "" = UTC. */
  readonly timezone: string;
}

/** Rate and concurrency limits of one model. Zero = no limit. */
export interface ModelLimits {
  readonly rpm: number;
  readonly tpm: number;
  readonly maxConcurrent: number;
}

/** Zero = no limit for every number. `modelLimits` apply per public model name, in addition to the rest. */
export interface Limits extends ModelLimits {
  readonly budgets: readonly Budget[];
  readonly modelLimits: Readonly<Record<string, ModelLimits>>;
}

/** An org-wide limit for one model, across every key and team. */
export interface GlobalModelLimit extends ModelLimits {
  readonly model: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export type Metadata = Readonly<Record<string, string>>;

/** Whose spend: a team's or a key's. */
export interface SpendScope {
  readonly scope: "team" | "key";
  readonly id: string;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  /** A user of this team; "" = no owner recorded. */
  readonly ownerUserId: string;
  readonly limits: Limits;
  readonly allowedModels: readonly string[];
  readonly metadata: Metadata;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export type KeyStatus = "active" | "revoked" | "expired";

/** A secret replaced by a rotation that keeps authenticating until `expiresAtMs` (the grace period). */
export interface PreviousKeyHash {
  readonly hash: Buffer;
  readonly expiresAtMs: number;
}

/** A person (or service identity) inside one team; keys may name one for attribution. */
export interface User {
  readonly id: string;
  readonly teamId: string;
  readonly email: string;
  readonly name: string;
  readonly metadata: Metadata;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** A cost-attribution bucket inside one team; keys may name one. */
export interface Project {
  readonly id: string;
  readonly teamId: string;
  readonly name: string;
  readonly metadata: Metadata;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface VirtualKey {
  readonly id: string;
  readonly teamId: string;
  readonly name: string;
  readonly userId: string;
  readonly projectId: string;
  /** SHA-256 of the secret (32 bytes). The secret itself is never stored. */
  readonly hash: Buffer;
  /** Rotated-out secrets still inside their grace period (or recently past it). */
  readonly previousHashes: readonly PreviousKeyHash[];
  readonly display: string;
  readonly allowedModels: readonly string[];
  readonly limits: Limits;
  readonly metadata: Metadata;
  readonly createdAtMs: number;
  readonly revokedAtMs: number | null;
  readonly expiresAtMs: number | null;
}

/** Encrypted at rest; see secrets/envelope.ts. */
export interface SealedSecrets {
  readonly keyVersion: number;
  readonly wrappedKey: Buffer;
  readonly wrapIv: Buffer;
  readonly wrapTag: Buffer;
  readonly dataIv: Buffer;
  readonly dataTag: Buffer;
  readonly ciphertext: Buffer;
}

export interface ProviderCredential {
  readonly id: string;
  readonly provider: string;
  /** Names of the secret fields, never the values (e.g. ["api_key"]). */
  readonly secretFields: readonly string[];
  readonly sealed: SealedSecrets;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** A credential with its secrets decrypted, only ever held in memory for the snapshot. */
export interface OpenCredential {
  readonly id: string;
  readonly provider: string;
  readonly secrets: Readonly<Record<string, string>>;
}

export interface Deployment {
  readonly id: string;
  readonly provider: string;
  readonly baseUrl: string;
  readonly upstreamModel: string;
  readonly credentialId: string;
  readonly region: string;
  readonly options: Metadata;
  readonly timeoutMs: number;
  /** Upstream models addressable as `<provider>/<model>` without a route; "*" = any; empty = none. */
  readonly directModels: readonly string[];
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export const ROUTE_STRATEGIES = ["priority", "weighted", "lowest_latency", "least_in_flight"] as const;
export type RouteStrategy = (typeof ROUTE_STRATEGIES)[number];

/** Zero / empty = the sidecar default for every field. */
export interface RetrySettings {
  readonly maxAttempts: number;
  /** "connect" | "timeout" | "5xx" | a status code such as "429". */
  readonly retryOn: readonly string[];
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly maxRetryAfterMs: number;
}

/** Zero = the sidecar default for every field. */
export interface RouteTimeouts {
  readonly connectMs: number;
  readonly firstTokenMs: number;
  readonly idleMs: number;
  readonly totalMs: number;
}

export interface RouteTarget {
  readonly deploymentId: string;
  readonly weight: number;
  readonly priority: number;
}

export interface Route {
  readonly model: string;
  readonly strategy: RouteStrategy;
  readonly targets: readonly RouteTarget[];
  readonly retry: RetrySettings;
  readonly timeouts: RouteTimeouts;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** USD per million tokens. `provider` "" = any provider. */
export interface Price {
  readonly provider: string;
  readonly model: string;
  readonly inputPerMtok: number;
  readonly outputPerMtok: number;
  readonly cachedInputPerMtok: number;
  readonly cacheWritePerMtok: number;
  readonly reasoningPerMtok: number;
  readonly catalogVersion: string;
}

/** One version of the price catalog (versions are never edited; a change is a new version). */
export interface PriceCatalog {
  readonly version: string;
  readonly createdBy: string;
  readonly createdAtMs: number;
  readonly note: string;
  readonly prices: readonly Price[];
}

/** Everything the snapshot is made of, read from the store in one consistent transaction. */
export interface PolicyState {
  readonly version: number;
  readonly teams: readonly Team[];
  /** Non-revoked keys. */
  readonly keys: readonly VirtualKey[];
  readonly routes: readonly Route[];
  readonly deployments: readonly Deployment[];
  readonly credentials: readonly ProviderCredential[];
  readonly prices: readonly Price[];
  readonly globalLimits: readonly GlobalModelLimit[];
}

/** The policy every sidecar holds, at one version. Immutable once built. */
export interface PolicySnapshot {
  readonly teams: readonly Team[];
  readonly keys: readonly VirtualKey[];
  readonly routes: readonly Route[];
  readonly deployments: readonly Deployment[];
  readonly credentials: readonly OpenCredential[];
  readonly prices: readonly Price[];
  readonly priceCatalogVersion: string;
  readonly globalLimits: readonly GlobalModelLimit[];
}

export interface VersionedSnapshot {
  readonly version: number;
  readonly issuedAtMs: number;
  readonly snapshot: PolicySnapshot;
}
