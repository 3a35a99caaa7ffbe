import type { Database } from "better-sqlite3";
import type { PolicyState, Route } from "../../domain/types";
import { StoreConflictError, StoreReferenceError } from "../errors";
import type {
  CredentialInput, DeploymentInput, GlobalLimitInput, KeyInput, Mutation, RouteInput, SpendScope, Store, TeamInput, Upserted,
} from "../types";
import { createCredentialsTable } from "./credentials";
import { createDeploymentsTable } from "./deployments";
import { createGlobalLimitsTable } from "./global-limits";
import { createKeysTable } from "./keys";
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
  async createTeam(t: TeamInput, nowMs: number) {
    return this.#create(nowMs, () => this.#teams.get(t.id) !== undefined, `team ${t.id}`, () => this.#teams.upsert(t, nowMs));
  }
  async putTeam(t: TeamInput, nowMs: number) {
    return this.#upsert(nowMs, () => this.#teams.get(t.id) !== undefined, () => this.#teams.upsert(t, nowMs));
  }
  async deleteTeam(id: string, nowMs: number) {
    return this.#mutate(nowMs, () => {
      const team = this.#teams.get(id);
      if (!team) return undefined;
      const revokedKeys = this.#keys.revokeTeam(id, nowMs);
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
      return this.#keys.insert(k, nowMs);
    });
    if (!m) throw new Error("unreachable: createKey produced nothing");
    return m;
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
  async listDeployments() { return this.#deployments.list(); }
  async getDeployment(id: string) { return this.#deployments.get(id); }
  async createDeployment(d: DeploymentInput, nowMs: number) {
    return this.#create(nowMs, () => this.#deployments.get(d.id) !== undefined, `deployment ${d.id}`, () => {
      this.#checkCredential(d);
      return this.#deployments.upsert(d, nowMs);
    });
  }
  async putDeployment(d: DeploymentInput, nowMs: number) {
    return this.#upsert(nowMs, () => this.#deployments.get(d.id) !== undefined, () => {
      this.#checkCredential(d);
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
