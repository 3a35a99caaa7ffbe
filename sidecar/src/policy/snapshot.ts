/**
 * proto PolicySnapshot → frozen PolicyIndex. Everything derivable from policy is computed here, once per
 * snapshot: key-hash map, allowed-model sets, route tables with prepared (header-encoded) targets, prices.
 * The only place that reads proto policy messages.
 */
import { hash } from "node:crypto";
import type { Deployment, Limits, ModelLimits, PolicyDelta, PolicySnapshot, Price, ProviderCredential, VirtualKey } from "../../../proto";
import type { LimitsInput, ModelLimitsInput } from "../limiter/limiter";

export class InvalidPolicyError extends Error {
  readonly reasons: readonly string[];
  constructor(reasons: readonly string[]) {
    super(`invalid policy snapshot: ${reasons.slice(0, 5).join("; ")}${reasons.length > 5 ? "; …" : ""}`);
    this.name = "InvalidPolicyError";
    this.reasons = reasons;
  }
}

export interface KeyEntry {
  readonly id: string;
  readonly teamId: string;
  readonly userId: string;
  readonly projectId: string;
  readonly display: string;
  /** 0 = never. */
  readonly expiresAtMs: number;
  /** null = every routed model. */
  readonly allowed: ReadonlySet<string> | null;
  readonly limits: LimitsInput;
}

export interface PriceEntry {
  readonly inputPerMtok: number;
  readonly outputPerMtok: number;
  readonly cachedInputPerMtok: number;
  readonly cacheWritePerMtok: number;
}

export interface TargetEntry<T> {
  readonly deploymentId: string;
  readonly provider: string;
  readonly upstreamModel: string;
  /** 0 = the sidecar default. */
  readonly timeoutMs: number;
  readonly prepared: T;
  readonly price: PriceEntry | null;
}

export interface RouteEntry<T> {
  readonly model: string;
  readonly strategy: "priority" | "weighted";
  /** Usable targets sorted by priority ascending (failover order for later work). */
  readonly targets: readonly TargetEntry<T>[];
  /** The lowest-priority group; `cumulativeWeights[i]` is the weight sum up to and including primary[i]. */
  readonly primary: readonly TargetEntry<T>[];
  readonly cumulativeWeights: readonly number[];
}

export interface PolicyIndex<T> {
  readonly version: number;
  readonly issuedAtMs: number;
  /** base64(SHA-256(secret)) → key. */
  readonly keys: ReadonlyMap<string, KeyEntry>;
  readonly routes: ReadonlyMap<string, RouteEntry<T>>;
  /** Routed model names, sorted. */
  readonly models: readonly string[];
  /** team id → the team's limits. */
  readonly teamLimits: ReadonlyMap<string, LimitsInput>;
  /** public model name → org-wide limits. */
  readonly globalLimits: ReadonlyMap<string, ModelLimitsInput>;
  /** The snapshot this index was built from (deltas apply to it). */
  readonly snapshot: PolicySnapshot;
  readonly warnings: readonly string[];
}

/** Turns a deployment into the adapter's prepared form; null = provider unknown here (skipped). Throws = invalid. */
export type DeploymentPreparer<T> = (deployment: Deployment, credential: ProviderCredential | null) => T | null;

/** The digest form used as key-map key. */
export function hashSecret(secret: string): string {
  return hash("sha256", secret, "base64");
}

export function buildPolicyIndex<T>(
  version: number,
  issuedAtMs: number,
  snapshot: PolicySnapshot,
  prepare: DeploymentPreparer<T>,
): PolicyIndex<T> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const keys = indexKeys(snapshot, problems);
  const deployments = prepareDeployments(snapshot, prepare, problems, warnings);
  const prices = indexPrices(snapshot.prices);
  const routes = new Map<string, RouteEntry<T>>();
  for (const route of snapshot.routes) {
    if (routes.has(route.model)) problems.push(`route ${route.model}: duplicate`);
    const entry = buildRoute(route, deployments, prices, problems, warnings);
    if (entry !== null) routes.set(route.model, entry);
  }
  if (problems.length > 0) throw new InvalidPolicyError(problems);
  return Object.freeze({
    version,
    issuedAtMs,
    keys,
    routes,
    models: Object.freeze([...routes.keys()].sort()),
    teamLimits: new Map(snapshot.teams.map((t) => [t.id, limitsEntry(t.limits)])),
    globalLimits: new Map(Object.entries(snapshot.global_model_limits ?? {}).map(([m, l]) => [m, modelLimitsEntry(l)])),
    snapshot,
    warnings: Object.freeze(warnings),
  });
}

function indexKeys(snapshot: PolicySnapshot, problems: string[]): Map<string, KeyEntry> {
  const teams = new Map(snapshot.teams.map((t) => [t.id, t]));
  const keys = new Map<string, KeyEntry>();
  const ids = new Set<string>();
  for (const key of snapshot.keys) {
    if (key.hash.length !== 32) problems.push(`key ${key.id}: hash must be 32 bytes, got ${key.hash.length}`);
    if (ids.has(key.id)) problems.push(`key ${key.id}: duplicate id`);
    ids.add(key.id);
    const digest = Buffer.from(key.hash).toString("base64");
    if (keys.has(digest)) problems.push(`key ${key.id}: duplicate hash`);
    keys.set(digest, keyEntry(key, teams.get(key.team_id)?.allowed_models ?? []));
  }
  return keys;
}

function keyEntry(key: VirtualKey, teamAllowed: readonly string[]): KeyEntry {
  const list = key.allowed_models.length > 0 ? key.allowed_models : teamAllowed;
  return Object.freeze({
    id: key.id,
    teamId: key.team_id,
    userId: key.user_id,
    projectId: key.project_id,
    display: key.display,
    expiresAtMs: key.expires_at_ms,
    allowed: list.length > 0 ? new Set(list) : null,
    limits: limitsEntry(key.limits),
  });
}

const NO_MODEL_LIMITS: ModelLimitsInput = Object.freeze({ rpm: 0, tpm: 0, maxConcurrent: 0 });

/** Decoded messages leave an unset message field null (proto3 defaults), hand-built ones undefined. */
function modelLimitsEntry(l: ModelLimits | null | undefined): ModelLimitsInput {
  if (l === undefined || l === null) return NO_MODEL_LIMITS;
  return Object.freeze({ rpm: l.rpm, tpm: l.tpm, maxConcurrent: l.max_concurrent });
}

/** Only hard budgets are enforced here; soft budgets alert in the control plane. */
function limitsEntry(l: Limits | null | undefined): LimitsInput {
  const models = new Map(Object.entries(l?.model_limits ?? {}).map(([m, x]) => [m, modelLimitsEntry(x)]));
  return Object.freeze({
    ...modelLimitsEntry(l),
    budgets: Object.freeze((l?.budgets ?? []).map((b) => Object.freeze({ id: b.id, limitUsd: b.limit_usd, hard: b.hard }))),
    modelLimits: models,
  });
}

interface PreparedDeploymentEntry<T> {
  readonly deployment: Deployment;
  readonly prepared: T;
}

function prepareDeployments<T>(
  snapshot: PolicySnapshot,
  prepare: DeploymentPreparer<T>,
  problems: string[],
  warnings: string[],
): Map<string, PreparedDeploymentEntry<T>> {
  const credentials = new Map(snapshot.credentials.map((c) => [c.id, c]));
  const out = new Map<string, PreparedDeploymentEntry<T>>();
  for (const deployment of snapshot.deployments) {
    if (out.has(deployment.id)) problems.push(`deployment ${deployment.id}: duplicate id`);
    let credential: ProviderCredential | null = null;
    if (deployment.credential_id !== "") {
      credential = credentials.get(deployment.credential_id) ?? null;
      if (credential === null) {
        // Skipped, not fatal: one bad deployment must not block every other policy change (e.g. revocations).
        warnings.push(`deployment ${deployment.id}: unknown credential ${deployment.credential_id}; skipped`);
        continue;
      }
    }
    try {
      const prepared = prepare(deployment, credential);
      if (prepared === null) warnings.push(`deployment ${deployment.id}: provider ${deployment.provider} not supported`);
      else out.set(deployment.id, { deployment, prepared });
    } catch (err) {
      warnings.push(`deployment ${deployment.id}: ${err instanceof Error ? err.message : "invalid"}; skipped`);
    }
  }
  return out;
}

function priceKey(provider: string, model: string): string {
  return `${provider}\u0000${model}`;
}

function indexPrices(prices: readonly Price[]): Map<string, PriceEntry> {
  const out = new Map<string, PriceEntry>();
  for (const p of prices) {
    out.set(
      priceKey(p.provider, p.model),
      Object.freeze({
        inputPerMtok: p.input_per_mtok,
        outputPerMtok: p.output_per_mtok,
        cachedInputPerMtok: p.cached_input_per_mtok,
        cacheWritePerMtok: p.cache_write_per_mtok,
      }),
    );
  }
  return out;
}

/** (provider, upstream model) → (any, upstream model) → (provider, public model) → (any, public model). */
function findPrice(prices: Map<string, PriceEntry>, provider: string, upstream: string, model: string): PriceEntry | null {
  return (
    prices.get(priceKey(provider, upstream)) ??
    prices.get(priceKey("", upstream)) ??
    prices.get(priceKey(provider, model)) ??
    prices.get(priceKey("", model)) ??
    null
  );
}

function buildRoute<T>(
  route: PolicySnapshot["routes"][number],
  deployments: Map<string, PreparedDeploymentEntry<T>>,
  prices: Map<string, PriceEntry>,
  problems: string[],
  warnings: string[],
): RouteEntry<T> | null {
  const strategy = route.strategy === "" ? "priority" : route.strategy;
  if (strategy !== "priority" && strategy !== "weighted") {
    problems.push(`route ${route.model}: unknown strategy ${route.strategy}`);
    return null;
  }
  const sorted = [...route.targets].sort((a, b) => a.priority - b.priority);
  const targets: TargetEntry<T>[] = [];
  const priorities: number[] = [];
  const weights: number[] = [];
  for (const t of sorted) {
    const found = deployments.get(t.deployment_id);
    if (found === undefined) continue;
    const d = found.deployment;
    const upstreamModel = d.upstream_model === "" ? route.model : d.upstream_model;
    targets.push(
      Object.freeze({
        deploymentId: d.id,
        provider: d.provider,
        upstreamModel,
        timeoutMs: d.timeout_ms,
        prepared: found.prepared,
        price: findPrice(prices, d.provider, upstreamModel, route.model),
      }),
    );
    priorities.push(t.priority);
    weights.push(t.weight);
  }
  if (targets.length === 0) {
    warnings.push(`route ${route.model}: no usable deployment`);
    return null;
  }
  const group = primaryGroup(targets, priorities, weights);
  return Object.freeze({ model: route.model, strategy, targets: Object.freeze(targets), ...group });
}

/** Lowest-priority group with cumulative weights (all-zero weights count as 1 each). */
function primaryGroup<T>(
  targets: readonly TargetEntry<T>[],
  priorities: readonly number[],
  weights: readonly number[],
): { primary: readonly TargetEntry<T>[]; cumulativeWeights: readonly number[] } {
  let size = 0;
  while (size < targets.length && priorities[size] === priorities[0]) size++;
  const primary = targets.slice(0, size);
  const group = weights.slice(0, size);
  const uniform = group.every((w) => w <= 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of group) {
    sum += uniform ? 1 : Math.max(0, w);
    cumulative.push(sum);
  }
  return { primary: Object.freeze(primary), cumulativeWeights: Object.freeze(cumulative) };
}

/** Applies a keys-only delta to a snapshot (caller checked base_version). `keys_removed` holds key ids. */
export function applyDelta(snapshot: PolicySnapshot, delta: PolicyDelta): PolicySnapshot {
  const removed = new Set(delta.keys_removed);
  for (const key of delta.keys_upserted) removed.add(key.id);
  const keys = snapshot.keys.filter((k) => !removed.has(k.id)).concat(delta.keys_upserted);
  return { ...snapshot, keys };
}
