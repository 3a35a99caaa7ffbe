import type { AdminToken, AuditDraft, AuditEntry, AuditQuery } from "../domain/admin-types";
import type {
  Deployment, GlobalModelLimit, Limits, Metadata, ModelLimits, PolicyState, Price, PriceCatalog, Project, ProviderCredential, RetrySettings,
  Route, RouteStrategy, RouteTarget, RouteTimeouts, SealedSecrets, SpendScope, Team, User, VirtualKey,
} from "../domain/types";
export type { SpendScope } from "../domain/types";
import type { StoredRequestRecord, UsageBatch, UsageFilter, UsageQuery, UsageRow } from "../domain/usage-types";

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
  /** "" = none; otherwise a user of this team (reference error otherwise). */
  readonly ownerUserId: string;
  readonly limits: Limits;
  readonly allowedModels: readonly string[];
  readonly metadata: Metadata;
}

/** A key as created: everything but the timestamps and grace hashes the store keeps. */
export type KeyInput = Omit<VirtualKey, "createdAtMs" | "revokedAtMs" | "previousHashes">;

/** The mutable fields of a key (the secret changes only by rotation). */
export type KeyPatch = Partial<Pick<VirtualKey, "name" | "userId" | "projectId" | "allowedModels" | "limits" | "metadata" | "expiresAtMs">>;

export interface KeyRotation {
  readonly hash: Buffer;
  readonly display: string;
  /** The old secret keeps authenticating until then; ≤ now = not at all. */
  readonly graceUntilMs: number;
}

export type UserInput = Omit<User, "createdAtMs" | "updatedAtMs">;
export type ProjectInput = Omit<Project, "createdAtMs" | "updatedAtMs">;

/** An admin token as created: everything but the timestamps the store sets. */
export type AdminTokenInput = Omit<AdminToken, "createdAtMs" | "revokedAtMs">;

export type PriceCatalogInput = Omit<PriceCatalog, "createdAtMs">;

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
  readonly directModels: readonly string[];
}

export interface RouteInput {
  readonly model: string;
  readonly strategy: RouteStrategy;
  readonly targets: readonly RouteTarget[];
  readonly retry: RetrySettings;
  readonly timeouts: RouteTimeouts;
}

export interface GlobalLimitInput extends ModelLimits {
  readonly model: string;
}

export interface UsageRecordsQuery extends UsageFilter {
  readonly limit: number;
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

  /** A team's users (all when no team); `deleteTeam` removes them too. */
  listUsers(filter?: { readonly teamId?: string }): Promise<User[]>;
  getUser(id: string): Promise<User | undefined>;
  /** Reference error when the team does not exist; conflict when the id exists in another team. */
  putUser(input: UserInput, nowMs: number): Promise<Upserted<User>>;
  /** Conflict while an active key or a team owner refers to the user. */
  deleteUser(id: string, nowMs: number): Promise<Mutation<User> | undefined>;

  listProjects(filter?: { readonly teamId?: string }): Promise<Project[]>;
  getProject(id: string): Promise<Project | undefined>;
  putProject(input: ProjectInput, nowMs: number): Promise<Upserted<Project>>;
  /** Conflict while an active key refers to the project. */
  deleteProject(id: string, nowMs: number): Promise<Mutation<Project> | undefined>;

  listKeys(filter?: { readonly teamId?: string }): Promise<VirtualKey[]>;
  getKey(id: string): Promise<VirtualKey | undefined>;
  /**
   * Conflict on an existing id or hash; reference error when the team does not exist, or when the user or
   * project does not exist or belongs to another team.
   */
  createKey(input: KeyInput, nowMs: number): Promise<Mutation<VirtualKey>>;
  /** Same reference checks as createKey. undefined = no such key; a revoked key cannot change (conflict). */
  updateKey(id: string, patch: KeyPatch, nowMs: number): Promise<Mutation<VirtualKey> | undefined>;
  /** New secret; the old one keeps working until `graceUntilMs`. Conflict for revoked keys or a reused secret. */
  rotateKey(id: string, rotation: KeyRotation, nowMs: number): Promise<Mutation<VirtualKey> | undefined>;
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

  /** The live catalog's prices. */
  listPrices(): Promise<Price[]>;
  /** Every catalog version, newest first. */
  listPriceCatalogs(): Promise<PriceCatalog[]>;
  /** A version, or the live one when `version` is undefined. */
  getPriceCatalog(version?: string): Promise<PriceCatalog | undefined>;
  /** Records a new version and makes it live (conflict when the version exists). */
  putPriceCatalog(input: PriceCatalogInput, nowMs: number): Promise<Mutation<PriceCatalog>>;

  listAdminTokens(): Promise<AdminToken[]>;
  getAdminToken(id: string): Promise<AdminToken | undefined>;
  findAdminTokenByHash(hash: Buffer): Promise<AdminToken | undefined>;
  /** Reference error (field `teams`) when a listed team does not exist. Does not change the policy version. */
  createAdminToken(input: AdminTokenInput, nowMs: number): Promise<AdminToken>;
  /** Idempotent; undefined = no such token. */
  revokeAdminToken(id: string, nowMs: number): Promise<AdminToken | undefined>;

  /** Appends to the audit log (append-only: nothing updates or deletes entries). */
  appendAudit(draft: AuditDraft, nowMs: number): Promise<number>;
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;

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
