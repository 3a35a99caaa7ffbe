/**
 * proto PolicySnapshot → frozen PolicyIndex. Everything derivable from policy is computed here, once per
 * snapshot: key-hash map, allowed-model sets, route tables with prepared (header-encoded) targets, prices.
 * The only place that reads proto policy messages.
 */
import { hash } from "node:crypto";
import type { Deployment, Limits, ModelLimits, PolicyDelta, PolicySnapshot, Price, ProviderCredential, VirtualKey } from "../../../proto";
import type { LimitsInput, ModelLimitsInput } from "../limiter/limiter";
import type { PriorityGroup, RouteStrategy } from "../routing/attempt-plan";
import type { RetryConfig } from "../routing/retry-policy";
import { parseStrategy, resolveRetry, routeTimeouts, type RouteTimeouts } from "../routing/route-settings";
import { buildDirectIndex, type DirectIndex } from "./direct";

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
  /** 0 = never. For a rotated-out secret: the end of its grace period. Checked per request by the local clock. */
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
  readonly strategy: RouteStrategy;
  /** Usable targets sorted by priority ascending. */
  readonly targets: readonly TargetEntry<T>[];
  /** The same targets by priority group, lowest number first (the attempt planner's input). */
  readonly groups: readonly PriorityGroup<TargetEntry<T>>[];
  readonly retry: RetryConfig;
  readonly timeouts: RouteTimeouts;
}

export interface PolicyIndex<T> {
  readonly version: number;
  readonly issuedAtMs: number;
  /** base64(SHA-256(secret)) → key. */
  readonly keys: ReadonlyMap<string, KeyEntry>;
  readonly routes: ReadonlyMap<string, RouteEntry<T>>;
  /** `<provider>/<model>` addresses of deployments' `direct_models` (policy/direct.ts). */
  readonly direct: DirectIndex<TargetEntry<T>>;
  /** Routed model names and enumerable direct addresses, sorted. */
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
  const direct = buildDirectIndex(deployments.values(), (e, upstream, address) => targetEntry(e, upstream, address, prices), warnings);
  return Object.freeze({
    version,
    issuedAtMs,
    keys,
    routes,
    direct,
    models: Object.freeze([...new Set([...routes.keys(), ...direct.models])].sort()),
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
    if (ids.has(key.id)) problems.push(`key ${key.id}: duplicate id`);
    ids.add(key.id);
    const entry = keyEntry(key, teams.get(key.team_id)?.allowed_models ?? []);
    addKeyHash(keys, key.id, key.hash, entry, problems);
    for (const previous of key.previous_hashes) {
      // A rotated-out secret: the same key, valid until the earlier of its grace end and the key's expiry.
      const expiresAtMs = earliestExpiry(previous.expires_at_ms, key.expires_at_ms);
      addKeyHash(keys, key.id, previous.hash, Object.freeze({ ...entry, expiresAtMs }), problems);
    }
  }
  return keys;
}

function addKeyHash(keys: Map<string, KeyEntry>, id: string, hash: Uint8Array, entry: KeyEntry, problems: string[]): void {
  if (hash.length !== 32) problems.push(`key ${id}: hash must be 32 bytes, got ${hash.length}`);
  const digest = Buffer.from(hash).toString("base64");
  if (keys.has(digest)) problems.push(`key ${id}: duplicate hash`);
  keys.set(digest, entry);
}

/** 0 = never; otherwise the earlier of the two. */
function earliestExpiry(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0) return a;
  return Math.min(a, b);
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

function targetEntry<T>(found: PreparedDeploymentEntry<T>, upstreamModel: string, model: string, prices: Map<string, PriceEntry>): TargetEntry<T> {
  const d = found.deployment;
  return Object.freeze({
    deploymentId: d.id,
    provider: d.provider,
    upstreamModel,
    timeoutMs: d.timeout_ms,
    prepared: found.prepared,
    price: findPrice(prices, d.provider, upstreamModel, model),
  });
}

function buildRoute<T>(
  route: PolicySnapshot["routes"][number],
  deployments: Map<string, PreparedDeploymentEntry<T>>,
  prices: Map<string, PriceEntry>,
  problems: string[],
  warnings: string[],
): RouteEntry<T> | null {
  const strategy = parseStrategy(route.strategy);
  if (strategy === null) {
    problems.push(`route ${route.model}: unknown strategy ${route.strategy}`);
    return null;
  }
  const retryProblems: string[] = [];
  const retry = resolveRetry(route.retry, retryProblems);
  for (const p of retryProblems) warnings.push(`route ${route.model}: ${p}; ignored`);
  const sorted = [...route.targets].sort((a, b) => a.priority - b.priority);
  const targets: TargetEntry<T>[] = [];
  const priorities: number[] = [];
  const weights: number[] = [];
  for (const t of sorted) {
    const found = deployments.get(t.deployment_id);
    if (found === undefined) continue;
    const upstream = found.deployment.upstream_model;
    targets.push(targetEntry(found, upstream === "" ? route.model : upstream, route.model, prices));
    priorities.push(t.priority);
    weights.push(t.weight);
  }
  if (targets.length === 0) {
    warnings.push(`route ${route.model}: no usable deployment`);
    return null;
  }
  return Object.freeze({
    model: route.model,
    strategy,
    targets: Object.freeze(targets),
    groups: priorityGroups(targets, priorities, weights),
    retry,
    timeouts: routeTimeouts(route.timeouts),
  });
}

function priorityGroups<T>(
  targets: readonly TargetEntry<T>[],
  priorities: readonly number[],
  weights: readonly number[],
): readonly PriorityGroup<TargetEntry<T>>[] {
  const groups: PriorityGroup<TargetEntry<T>>[] = [];
  let start = 0;
  for (let i = 1; i <= targets.length; i++) {
    if (i < targets.length && priorities[i] === priorities[start]) continue;
    groups.push(Object.freeze({ targets: Object.freeze(targets.slice(start, i)), weights: Object.freeze(weights.slice(start, i)) }));
    start = i;
  }
  return Object.freeze(groups);
}

/** Applies a keys-only delta to a snapshot (caller checked base_version). `keys_removed` holds key ids. */
export function applyDelta(snapshot: PolicySnapshot, delta: PolicyDelta): PolicySnapshot {
  const removed = new Set(delta.keys_removed);
  for (const key of delta.keys_upserted) removed.add(key.id);
  const keys = snapshot.keys.filter((k) => !removed.has(k.id)).concat(delta.keys_upserted);
  return { ...snapshot, keys };
}
