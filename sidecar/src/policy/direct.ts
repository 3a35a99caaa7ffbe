/**
 * Direct addressing: a client may send `model: "<provider>/<upstream model>"` for a model some deployment
 * lists in `direct_models` ("*" = any model of that deployment). Built once per snapshot; a request then
 * costs one or two map lookups. A route whose public name equals the address wins (routes are checked first).
 *
 * Key and team allow-lists name such models as the full address (`openai/gpt-4o-mini`) or as
 * `<provider>/*` for every model the provider's deployments make directly addressable.
 */
import type { Deployment } from "../../../proto";

export interface DirectDeployment<T> {
  readonly deployment: Deployment;
  readonly prepared: T;
}

/** Builds the route target for (deployment, upstream model, public address); supplied by the snapshot builder. */
export type DirectTargetFactory<T, E> = (entry: DirectDeployment<T>, upstreamModel: string, address: string) => E;

/** Most distinct wildcard addresses whose targets are kept per snapshot (beyond it they are built per request). */
const WILDCARD_CACHE_LIMIT = 4096;

export interface DirectIndex<E> {
  /** The exact addresses, sorted (for `GET /v1/models`; "*" entries cannot be enumerated). */
  readonly models: readonly string[];
  /** The target for `<provider>/<model>`, or null when the address names no directly addressable model. */
  resolve(address: string): E | null;
}

/**
 * Indexes `direct_models` of the usable deployments (in snapshot order). An entry listed twice for one provider
 * (the control plane refuses that, so only a stale or hand-made snapshot has it) keeps the first deployment
 * and adds a warning: one bad deployment must not block every other policy change.
 */
export function buildDirectIndex<T, E>(
  deployments: Iterable<DirectDeployment<T>>,
  makeTarget: DirectTargetFactory<T, E>,
  warnings: string[],
): DirectIndex<E> {
  const exact = new Map<string, E>();
  const owners = new Map<string, string>();
  const wildcard = new Map<string, DirectDeployment<T>>();
  for (const entry of deployments) {
    const d = entry.deployment;
    for (const model of d.direct_models) {
      const key = model === "*" ? `${d.provider}/*` : `${d.provider}/${model}`;
      const taken = owners.get(key);
      if (taken !== undefined) {
        warnings.push(`deployment ${d.id}: ${key} is already direct through ${taken}; ignored`);
        continue;
      }
      owners.set(key, d.id);
      if (model === "*") wildcard.set(d.provider, entry);
      else exact.set(key, makeTarget(entry, model, key));
    }
  }
  const cache = new Map<string, E>();
  const resolve = (address: string): E | null => {
    const hit = exact.get(address) ?? cache.get(address);
    if (hit !== undefined) return hit;
    const slash = address.indexOf("/");
    if (slash <= 0 || slash === address.length - 1) return null;
    const entry = wildcard.get(address.slice(0, slash));
    if (entry === undefined) return null;
    const target = makeTarget(entry, address.slice(slash + 1), address);
    if (cache.size < WILDCARD_CACHE_LIMIT) cache.set(address, target);
    return target;
  };
  return Object.freeze({ models: Object.freeze([...exact.keys()].sort()), resolve });
}

/** The allow-list check for any model name (null = no list = every model the policy routes or exposes). */
export function mayUseModel(allowed: ReadonlySet<string> | null, model: string): boolean {
  if (allowed === null || allowed.has(model)) return true;
  const slash = model.indexOf("/");
  return slash > 0 && allowed.has(`${model.slice(0, slash)}/*`);
}
