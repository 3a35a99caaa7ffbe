import type {
  Deployment, GlobalModelLimit, Limits, ModelLimits, SpendScope, Metadata, PolicyState, Price, ProviderCredential, Route, RouteStrategy, RouteTarget, SealedSecrets, Team, VirtualKey,
} from "../domain/types";
export type { SpendScope } from "../domain/types";
import type { StoredRequestRecord, UsageBatch, UsageQuery, UsageRow } from "../domain/usage-types";

/** A committed change: its value and the policy version the same transaction bumped to. */
export interface Mutation<T> {
  readonly value: T;
  readonly version: number;
}

export interface Upserted<T> extends Mutation<T> {
  /** true when the row did not exist before. */
  readonly created: boolean;
}

export interface TeamInput {
  readonly id: string;
  readonly name: string;
  readonly limits: Limits;
  readonly allowedModels: readonly string[];
  readonly metadata: Metadata;
}

/** A key as created: everything but the timestamps the store sets. */
export type KeyInput = Omit<VirtualKey, "createdAtMs" | "revokedAtMs">;

export interface CredentialInput {
  readonly id: string;
  readonly provider: string;
  readonly secretFields: readonly string[];
  readonly sealed: SealedSecrets;
}

export interface DeploymentInput {
  readonly id: string;
  readonly provider: string;
  readonly baseUrl: string;
  readonly upstreamModel: string;
  readonly credentialId: string;
  readonly region: string;
  readonly options: Metadata;
  readonly timeoutMs: number;
}

export interface RouteInput {
  readonly model: string;
  readonly strategy: RouteStrategy;
  readonly targets: readonly RouteTarget[];
}

export interface GlobalLimitInput extends ModelLimits {
  readonly model: string;
}

export interface UsageRecordsQuery {
  readonly limit: number;
  readonly keyId?: string;
}

/**
 * The persistence seam. SQLite is the embedded backend; a PostgreSQL backend implements the same
 * interface (hence every method is async even where SQLite is synchronous). Every mutation bumps the
 * policy version in the same transaction and returns it. Methods throw StoreConflictError /
 * StoreReferenceError (store/errors.ts) for expected failures; "not found" is `undefined`.
 */
export interface Store {
  readonly backend: string;

  policyVersion(): Promise<number>;
  /** One consistent read of everything the policy snapshot is built from. */
  readPolicyState(): Promise<PolicyState>;

  listTeams(): Promise<Team[]>;
  getTeam(id: string): Promise<Team | undefined>;
  createTeam(input: TeamInput, nowMs: number): Promise<Mutation<Team>>;
  putTeam(input: TeamInput, nowMs: number): Promise<Upserted<Team>>;
  /** Deletes the team and revokes all its keys. */
  deleteTeam(id: string, nowMs: number): Promise<Mutation<{ team: Team; revokedKeys: number }> | undefined>;

  listKeys(filter?: { readonly teamId?: string }): Promise<VirtualKey[]>;
  getKey(id: string): Promise<VirtualKey | undefined>;
  /** Conflict on an existing id or hash; reference error when the team does not exist. */
  createKey(input: KeyInput, nowMs: number): Promise<Mutation<VirtualKey>>;
  /** Idempotent: revoking an already revoked key changes nothing (no version bump) and returns it as is. */
  revokeKey(id: string, nowMs: number): Promise<Mutation<VirtualKey> | undefined>;

  listCredentials(): Promise<ProviderCredential[]>;
  getCredential(id: string): Promise<ProviderCredential | undefined>;
  createCredential(input: CredentialInput, nowMs: number): Promise<Mutation<ProviderCredential>>;
  putCredential(input: CredentialInput, nowMs: number): Promise<Upserted<ProviderCredential>>;
  deleteCredential(id: string, nowMs: number): Promise<Mutation<ProviderCredential> | undefined>;

  listDeployments(): Promise<Deployment[]>;
  getDeployment(id: string): Promise<Deployment | undefined>;
  /** Reference error when `credentialId` is set and unknown. */
  createDeployment(input: DeploymentInput, nowMs: number): Promise<Mutation<Deployment>>;
  putDeployment(input: DeploymentInput, nowMs: number): Promise<Upserted<Deployment>>;
  deleteDeployment(id: string, nowMs: number): Promise<Mutation<Deployment> | undefined>;

  listRoutes(): Promise<Route[]>;
  getRoute(model: string): Promise<Route | undefined>;
  /** Reference error (field `targets.<i>.deployment_id`) when a target's deployment does not exist. */
  putRoute(input: RouteInput, nowMs: number): Promise<Upserted<Route>>;
  deleteRoute(model: string, nowMs: number): Promise<Mutation<Route> | undefined>;

  listPrices(): Promise<Price[]>;

  listGlobalLimits(): Promise<GlobalModelLimit[]>;
  getGlobalLimit(model: string): Promise<GlobalModelLimit | undefined>;
  putGlobalLimit(input: GlobalLimitInput, nowMs: number): Promise<Upserted<GlobalModelLimit>>;
  deleteGlobalLimit(model: string, nowMs: number): Promise<Mutation<GlobalModelLimit> | undefined>;

  /** Persists a batch exactly once per (producerId, seq); resolves after commit. */
  recordUsageBatch(batch: UsageBatch, receivedAtMs: number): Promise<{ duplicate: boolean }>;
  usageSummary(query: UsageQuery): Promise<UsageRow[]>;
  usageRecords(query: UsageRecordsQuery): Promise<StoredRequestRecord[]>;
  /** USD recorded for the team or key on requests started in [fromMs, toMs). */
  spendBetween(who: SpendScope, fromMs: number, toMs: number): Promise<number>;

  close(): Promise<void>;
}
