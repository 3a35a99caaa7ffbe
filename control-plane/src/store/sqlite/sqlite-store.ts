import type { Database } from "better-sqlite3";
import type { PolicyState, Route } from "../../domain/types";
import { findDirectModelOverlap } from "../../domain/direct-models";
import { StoreConflictError, StoreReferenceError } from "../errors";
import type { AuditDraft, AuditQuery } from "../../domain/admin-types";
import type {
  AdminTokenInput, CredentialInput, DeploymentInput, GlobalLimitInput, KeyInput, KeyPatch, KeyRotation, Mutation, PriceCatalogInput, ProjectInput,
  RouteInput, SpendScope, Store, TeamInput, Upserted, UserInput,
} from "../types";
import { createAdminTokensTable } from "./admin-tokens";
import { createAuditTable } from "./audit";
import { createCredentialsTable } from "./credentials";
import { createDeploymentsTable } from "./deployments";
import { createGlobalLimitsTable } from "./global-limits";
import { createKeysTable } from "./keys";
import { createProjectsTable, createUsersTable } from "./members";
import { openDatabase } from "./open-database";
import { createPolicyVersion } from "./policy-version";
import { createPricesTable } from "./prices";
import { createRoutesTable } from "./routes";
import { createTeamsTable } from "./teams";
import { createUsageTables } from "./usage";

/** The embedded backend: one better-sqlite3 connection, every statement prepared once at open. */
export class SqliteStore implements Store {
  readonly backend = "sqlite";
  readonly #db: Database;
  readonly #version;
  readonly #teams;
  readonly #keys;
  readonly #credentials;
  readonly #deployments;
  readonly #routes;
  readonly #prices;
  readonly #usage;
  readonly #users;
  readonly #projects;
  readonly #adminTokens;
  readonly #audit;
  readonly #globalLimits;

  private constructor(db: Database) {
    this.#db = db;
    this.#version = createPolicyVersion(db);
    this.#teams = createTeamsTable(db);
    this.#keys = createKeysTable(db);
    this.#credentials = createCredentialsTable(db);
    this.#deployments = createDeploymentsTable(db);
    this.#routes = createRoutesTable(db);
    this.#prices = createPricesTable(db);
    this.#usage = createUsageTables(db);
    this.#users = createUsersTable(db);
    this.#projects = createProjectsTable(db);
    this.#adminTokens = createAdminTokensTable(db);
    this.#audit = createAuditTable(db);
    this.#globalLimits = createGlobalLimitsTable(db);
  }

  static open(dataDir: string): SqliteStore {
    return new SqliteStore(openDatabase(dataDir));
  }

  /** Runs `fn` in a write transaction; a defined result bumps the policy version in the same transaction. */
  #mutate<T>(nowMs: number, fn: () => T | undefined): Mutation<T> | undefined {
    return this.#db.transaction(() => {
      const value = fn();
      return value === undefined ? undefined : { value, version: this.#version.bump(nowMs) };
    }).immediate();
  }

  #upsert<T>(nowMs: number, exists: () => boolean, write: () => T): Upserted<T> {
    return this.#db.transaction(() => {
      const created = !exists();
      const value = write();
      return { value, created, version: this.#version.bump(nowMs) };
    }).immediate();
  }

  #create<T>(nowMs: number, exists: () => boolean, what: string, write: () => T): Mutation<T> {
    const m = this.#mutate(nowMs, () => {
      if (exists()) throw new StoreConflictError("id", `${what} already exists`);
      return write();
    });
    if (!m) throw new Error("unreachable: create produced nothing");
    return m;
  }

  async policyVersion(): Promise<number> {
    return this.#version.get();
  }

  async readPolicyState(): Promise<PolicyState> {
    return this.#db.transaction(() => ({
      version: this.#version.get(),
      teams: this.#teams.list(),
      keys: this.#keys.listActive(),
      routes: this.#routes.list(),
      deployments: this.#deployments.list(),
      credentials: this.#credentials.list(),
      prices: this.#prices.list(),
      globalLimits: this.#globalLimits.list(),
    })).deferred();
  }

  async listTeams() { return this.#teams.list(); }
  async getTeam(id: string) { return this.#teams.get(id); }
  #checkOwner(t: TeamInput): void {
    if (t.ownerUserId !== "" && this.#users.get(t.ownerUserId)?.teamId !== t.id) {
      throw new StoreReferenceError("owner_user_id", `user ${t.ownerUserId} does not exist in team ${t.id}`);
    }
  }
  async createTeam(t: TeamInput, nowMs: number) {
    return this.#create(nowMs, () => this.#teams.get(t.id) !== undefined, `team ${t.id}`, () => {
      this.#checkOwner(t);
      return this.#teams.upsert(t, nowMs);
    });
  }
  async putTeam(t: TeamInput, nowMs: number) {
    return this.#upsert(nowMs, () => this.#teams.get(t.id) !== undefined, () => {
      this.#checkOwner(t);
      return this.#teams.upsert(t, nowMs);
    });
  }
  async deleteTeam(id: string, nowMs: number) {
    return this.#mutate(nowMs, () => {
      const team = this.#teams.get(id);
      if (!team) return undefined;
      const revokedKeys = this.#keys.revokeTeam(id, nowMs);
      this.#users.removeTeam(id);
      this.#projects.removeTeam(id);
      this.#teams.remove(id);
      return { team, revokedKeys };
    });
  }

  async listKeys(filter?: { readonly teamId?: string }) { return this.#keys.list(filter?.teamId); }
  async getKey(id: string) { return this.#keys.get(id); }
  async createKey(k: KeyInput, nowMs: number) {
    const m = this.#mutate(nowMs, () => {
      if (this.#keys.get(k.id)) throw new StoreConflictError("id", `key ${k.id} already exists`);
      if (this.#keys.hashExists(k.hash)) throw new StoreConflictError("secret", "a key with this secret already exists");
      if (!this.#teams.get(k.teamId)) throw new StoreReferenceError("team_id", `team ${k.teamId} does not exist`);
      this.#checkMembers(k.teamId, k.userId, k.projectId);
      return this.#keys.insert(k, nowMs);
    });
    if (!m) throw new Error("unreachable: createKey produced nothing");
    return m;
  }
  #checkMembers(teamId: string, userId: string, projectId: string): void {
    if (userId !== "" && this.#users.get(userId)?.teamId !== teamId) {
      throw new StoreReferenceError("user_id", `user ${userId} does not exist in team ${teamId}`);
    }
    if (projectId !== "" && this.#projects.get(projectId)?.teamId !== teamId) {
      throw new StoreReferenceError("project_id", `project ${projectId} does not exist in team ${teamId}`);
    }
  }
  #activeKey(id: string) {
    const key = this.#keys.get(id);
    if (key && key.revokedAtMs !== null) throw new StoreConflictError("id", `key ${id} is revoked`);
    return key;
  }
  async updateKey(id: string, patch: KeyPatch, nowMs: number) {
    return this.#mutate(nowMs, () => {
      const key = this.#activeKey(id);
      if (!key) return undefined;
      this.#checkMembers(key.teamId, patch.userId ?? key.userId, patch.projectId ?? key.projectId);
      return this.#keys.update(key, patch);
    });
  }
  async rotateKey(id: string, r: KeyRotation, nowMs: number) {
    return this.#mutate(nowMs, () => {
      const key = this.#activeKey(id);
      if (!key) return undefined;
      if (this.#keys.hashExists(r.hash)) throw new StoreConflictError("secret", "a key with this secret already exists");
      return this.#keys.rotate(key, r.hash, r.display, r.graceUntilMs, nowMs);
    });
  }
  async revokeKey(id: string, nowMs: number) {
    const existing = this.#keys.get(id);
    if (!existing) return undefined;
    if (existing.revokedAtMs !== null) return { value: existing, version: this.#version.get() };
    return this.#mutate(nowMs, () => this.#keys.revoke(id, nowMs));
  }

  async listCredentials() { return this.#credentials.list(); }
  async getCredential(id: string) { return this.#credentials.get(id); }
  async createCredential(c: CredentialInput, nowMs: number) {
    return this.#create(nowMs, () => this.#credentials.get(c.id) !== undefined, `provider credential ${c.id}`, () => this.#credentials.upsert(c, nowMs));
  }
  async putCredential(c: CredentialInput, nowMs: number) {
    return this.#upsert(nowMs, () => this.#credentials.get(c.id) !== undefined, () => this.#credentials.upsert(c, nowMs));
  }
  async deleteCredential(id: string, nowMs: number) {
    return this.#mutate(nowMs, () => {
      const c = this.#credentials.get(id);
      return c && this.#credentials.remove(id) ? c : undefined;
    });
  }

  #checkCredential(d: DeploymentInput): void {
    if (d.credentialId !== "" && !this.#credentials.get(d.credentialId)) {
      throw new StoreReferenceError("credential_id", `provider credential ${d.credentialId} does not exist`);
    }
  }
  #checkDirectModels(d: DeploymentInput): void {
    const overlap = findDirectModelOverlap(d, this.#deployments.list());
    if (overlap !== null) {
      throw new StoreConflictError("direct_models", `${d.provider}/${overlap.entry} is already directly addressable through deployment ${overlap.deploymentId}`);
    }
  }
  async listDeployments() { return this.#deployments.list(); }
  async getDeployment(id: string) { return this.#deployments.get(id); }
  async createDeployment(d: DeploymentInput, nowMs: number) {
    return this.#create(nowMs, () => this.#deployments.get(d.id) !== undefined, `deployment ${d.id}`, () => {
      this.#checkCredential(d);
      this.#checkDirectModels(d);
      return this.#deployments.upsert(d, nowMs);
    });
  }
  async putDeployment(d: DeploymentInput, nowMs: number) {
    return this.#upsert(nowMs, () => this.#deployments.get(d.id) !== undefined, () => {
      this.#checkCredential(d);
      this.#checkDirectModels(d);
      return this.#deployments.upsert(d, nowMs);
    });
  }
  async deleteDeployment(id: string, nowMs: number) {
    return this.#mutate(nowMs, () => {
      const d = this.#deployments.get(id);
      return d && this.#deployments.remove(id) ? d : undefined;
    });
  }

  async listRoutes() { return this.#routes.list(); }
  async getRoute(model: string) { return this.#routes.get(model); }
  async putRoute(r: RouteInput, nowMs: number): Promise<Upserted<Route>> {
    return this.#upsert(nowMs, () => this.#routes.get(r.model) !== undefined, () => {
      r.targets.forEach((t, i) => {
        if (!this.#deployments.get(t.deploymentId)) {
          throw new StoreReferenceError(`targets.${i}.deployment_id`, `deployment ${t.deploymentId} does not exist`);
        }
      });
      return this.#routes.upsert(r, nowMs);
    });
  }
  async deleteRoute(model: string, nowMs: number) {
    return this.#mutate(nowMs, () => {
      const r = this.#routes.get(model);
      return r && this.#routes.remove(model) ? r : undefined;
    });
  }

  async listPrices() { return this.#prices.list(); }
  async listPriceCatalogs() { return this.#prices.catalogs(); }
  async getPriceCatalog(version?: string) { return version === undefined ? this.#prices.latest() : this.#prices.catalog(version); }
  async putPriceCatalog(c: PriceCatalogInput, nowMs: number) {
    return this.#create(nowMs, () => this.#prices.catalog(c.version) !== undefined, `price catalog ${c.version}`, () => this.#prices.install(c, nowMs));
  }

  async listUsers(filter?: { readonly teamId?: string }) { return this.#users.list(filter?.teamId); }
  async getUser(id: string) { return this.#users.get(id); }
  async putUser(u: UserInput, nowMs: number) {
    return this.#upsert(nowMs, () => this.#users.get(u.id) !== undefined, () => {
      this.#checkMemberTeam(u.teamId, this.#users.get(u.id)?.teamId, "user", u.id);
      return this.#users.upsert(u, nowMs);
    });
  }
  async deleteUser(id: string, nowMs: number) {
    return this.#mutate(nowMs, () => {
      const u = this.#users.get(id);
      if (!u) return undefined;
      if (this.#keys.countReferencing("user_id", id) > 0) throw new StoreConflictError("id", `user ${id} is named by active keys`);
      if (this.#teams.get(u.teamId)?.ownerUserId === id) throw new StoreConflictError("id", `user ${id} owns team ${u.teamId}`);
      this.#users.remove(id);
      return u;
    });
  }

  async listProjects(filter?: { readonly teamId?: string }) { return this.#projects.list(filter?.teamId); }
  async getProject(id: string) { return this.#projects.get(id); }
  async putProject(p: ProjectInput, nowMs: number) {
    return this.#upsert(nowMs, () => this.#projects.get(p.id) !== undefined, () => {
      this.#checkMemberTeam(p.teamId, this.#projects.get(p.id)?.teamId, "project", p.id);
      return this.#projects.upsert(p, nowMs);
    });
  }
  async deleteProject(id: string, nowMs: number) {
    return this.#mutate(nowMs, () => {
      const p = this.#projects.get(id);
      if (!p) return undefined;
      if (this.#keys.countReferencing("project_id", id) > 0) throw new StoreConflictError("id", `project ${id} is named by active keys`);
      this.#projects.remove(id);
      return p;
    });
  }
  /** A user/project stays in its team (moving it would silently re-attribute its keys). */
  #checkMemberTeam(teamId: string, existingTeam: string | undefined, what: string, id: string): void {
    if (!this.#teams.get(teamId)) throw new StoreReferenceError("team_id", `team ${teamId} does not exist`);
    if (existingTeam !== undefined && existingTeam !== teamId) {
      throw new StoreConflictError("team_id", `${what} ${id} belongs to team ${existingTeam}`);
    }
  }

  async listAdminTokens() { return this.#adminTokens.list(); }
  async getAdminToken(id: string) { return this.#adminTokens.get(id); }
  async findAdminTokenByHash(hash: Buffer) { return this.#adminTokens.byHash(hash); }
  async createAdminToken(t: AdminTokenInput, nowMs: number) {
    return this.#db.transaction(() => {
      if (this.#adminTokens.get(t.id)) throw new StoreConflictError("id", `admin token ${t.id} already exists`);
      t.teams.forEach((team, i) => {
        if (!this.#teams.get(team)) throw new StoreReferenceError(`teams.${i}`, `team ${team} does not exist`);
      });
      return this.#adminTokens.insert(t, nowMs);
    }).immediate();
  }
  async revokeAdminToken(id: string, nowMs: number) {
    return this.#adminTokens.revoke(id, nowMs) ?? this.#adminTokens.get(id);
  }

  async appendAudit(d: AuditDraft, nowMs: number) { return this.#audit.append(d, nowMs); }
  async listAudit(q: AuditQuery) { return this.#audit.list(q); }

  async listGlobalLimits() { return this.#globalLimits.list(); }
  async getGlobalLimit(model: string) { return this.#globalLimits.get(model); }
  async putGlobalLimit(g: GlobalLimitInput, nowMs: number) {
    return this.#upsert(nowMs, () => this.#globalLimits.get(g.model) !== undefined, () => this.#globalLimits.upsert(g, nowMs));
  }
  async deleteGlobalLimit(model: string, nowMs: number) {
    return this.#mutate(nowMs, () => {
      const g = this.#globalLimits.get(model);
      return g && this.#globalLimits.remove(model) ? g : undefined;
    });
  }

  async recordUsageBatch(batch: Parameters<Store["recordUsageBatch"]>[0], receivedAtMs: number) {
    const stored = this.#db.transaction(() => this.#usage.insertBatch(batch, receivedAtMs)).immediate();
    return { duplicate: !stored };
  }
  async usageSummary(q: Parameters<Store["usageSummary"]>[0]) { return this.#usage.summary(q); }
  async usageRecords(q: Parameters<Store["usageRecords"]>[0]) { return this.#usage.records(q); }
  async spendBetween(who: SpendScope, fromMs: number, toMs: number) { return this.#usage.spend(who, fromMs, toMs); }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
