import type { AuditResource } from "../domain/admin-types";
import { keyStatus } from "../domain/keys";
import { redactForAudit } from "../domain/redact";
import type { Budget, Limits, OpenCredential, ProviderCredential, SealedSecrets } from "../domain/types";
import { projectJson, userJson } from "../http/governance-presenters";
import { deploymentInput, limitsFromBody, routeInput, teamInput } from "../http/inputs";
import { credentialJson, deploymentJson, keyJson, routeJson, teamJson } from "../http/presenters";
import { DEFAULT_ROTATION_GRACE_SECONDS } from "../http/schemas";
import type { Store, TeamInput } from "../store/types";
import type { BootstrapPlan } from "./schema";

export interface BootstrapDeps {
  readonly store: Store;
  readonly now: () => number;
  readonly seal: (credentialId: string, secrets: Readonly<Record<string, string>>) => SealedSecrets;
  readonly open: (credential: ProviderCredential) => OpenCredential;
}

export interface BootstrapResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Entries that could not be applied as written (e.g. a revoked key id). */
  readonly warnings: readonly string[];
}

/** Error applying a valid file (a reference to something that exists neither in the file nor in the store). */
export class BootstrapApplyError extends Error {
  constructor(where: string, cause: unknown) {
    super(`SIDEGATE_BOOTSTRAP_FILE: ${where}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "BootstrapApplyError";
  }
}

/** JSON without timestamps, for "did anything change" comparisons. */
const essence = (v: unknown): string =>
  JSON.stringify(v, (k, x: unknown) => (k === "created_at" || k === "updated_at" || k === "status" ? undefined : x));

const mergeBudgets = (l: Limits, extra: readonly Budget[]): Limits =>
  extra.length === 0 ? l : { ...l, budgets: [...l.budgets.filter((b) => !extra.some((e) => e.id === b.id)), ...extra] };

/**
 * Applies the bootstrap plan idempotently, in dependency order (teams → users → projects → team owners →
 * providers → deployments → routes → keys → budgets). Writes only what differs from the store, so a second
 * run with the same file changes nothing (no version bump, no audit entry). Every write is audited with the
 * actor `bootstrap-file`. Keys whose secret changed are rotated with a grace period.
 */
export async function applyBootstrap(plan: BootstrapPlan, deps: BootstrapDeps): Promise<BootstrapResult> {
  const { store, now } = deps;
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const warnings: string[] = [];
  const audit = async (resource: AuditResource, id: string, teamId: string, before: unknown, after: unknown, action?: string) => {
    const act = action ?? (before === null ? "create" : "update");
    if (act === "create") counts.created += 1;
    else counts.updated += 1;
    await store.appendAudit(
      { actorId: "bootstrap-file", actorRole: "system", action: act, resourceType: resource, resourceId: id, teamId, before: redactForAudit(before), after: redactForAudit(after) },
      now(),
    );
  };
  const step = async (where: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      throw new BootstrapApplyError(where, err);
    }
  };
  /** Put `next` unless the store already holds the same; `json` renders either side for comparison and audit. */
  const converge = async <T>(resource: AuditResource, id: string, teamId: string, current: T | undefined, json: (v: T) => unknown, desired: unknown, write: () => Promise<T>) => {
    if (current !== undefined && essence(json(current)) === essence(desired)) {
      counts.unchanged += 1;
      return;
    }
    const after = await write();
    await audit(resource, id, teamId, current === undefined ? null : json(current), json(after));
  };

  const { file } = plan;
  const budgetsFor = (scope: "team" | "key", owner: string): Budget[] =>
    file.budgets.filter((b) => b.scope === scope && b.owner === owner)
      .map((b) => ({ id: b.id, limitUsd: b.limit_usd, period: b.period, hard: b.hard ?? false, timezone: b.timezone ?? "" }));
  const teamDesired = (t: (typeof file.teams)[number], ownerUserId: string): TeamInput => {
    const input = teamInput(t.id, t);
    return { ...input, ownerUserId, limits: mergeBudgets(input.limits, budgetsFor("team", t.id)) };
  };
  const putTeam = async (input: TeamInput, where: string) =>
    step(where, async () => {
      const current = await store.getTeam(input.id);
      const desired = teamJson({ ...input, createdAtMs: 0, updatedAtMs: 0 });
      await converge("team", input.id, input.id, current, teamJson, desired, async () => (await store.putTeam(input, now())).value);
    });

  // Teams first without owners that do not exist yet (owners are users, created next).
  for (const [i, t] of file.teams.entries()) {
    const current = await store.getTeam(t.id);
    const owner = t.owner_user_id ?? "";
    const ownerExists = owner === "" || (await store.getUser(owner))?.teamId === t.id;
    await putTeam(teamDesired(t, ownerExists ? owner : current?.ownerUserId ?? ""), `teams.${i} (${t.id})`);
  }
  for (const [i, u] of file.users.entries()) {
    await step(`users.${i} (${u.id})`, async () => {
      const input = { id: u.id, teamId: u.team_id, email: u.email ?? "", name: u.name ?? "", metadata: u.metadata ?? {} };
      const desired = userJson({ ...input, createdAtMs: 0, updatedAtMs: 0 });
      await converge("user", u.id, u.team_id, await store.getUser(u.id), userJson, desired, async () => (await store.putUser(input, now())).value);
    });
  }
  for (const [i, p] of file.projects.entries()) {
    await step(`projects.${i} (${p.id})`, async () => {
      const input = { id: p.id, teamId: p.team_id, name: p.name ?? "", metadata: p.metadata ?? {} };
      const desired = projectJson({ ...input, createdAtMs: 0, updatedAtMs: 0 });
      await converge("project", p.id, p.team_id, await store.getProject(p.id), projectJson, desired, async () => (await store.putProject(input, now())).value);
    });
  }
  for (const [i, t] of file.teams.entries()) {
    if ((t.owner_user_id ?? "") !== "") await putTeam(teamDesired(t, t.owner_user_id ?? ""), `teams.${i}.owner_user_id`);
  }
  for (const [i, p] of plan.providers.entries()) {
    await step(`providers.${i} (${p.id})`, async () => {
      const current = await store.getCredential(p.id);
      const same = current !== undefined && current.provider === p.provider && essence(deps.open(current).secrets) === essence(p.secrets);
      if (same) {
        counts.unchanged += 1;
        return;
      }
      const input = { id: p.id, provider: p.provider, secretFields: Object.keys(p.secrets).sort(), sealed: deps.seal(p.id, p.secrets) };
      const m = await store.putCredential(input, now());
      await audit("provider", p.id, "", current ? credentialJson(current) : null, credentialJson(m.value), current ? "update" : "create");
    });
  }
  for (const [i, d] of file.deployments.entries()) {
    await step(`deployments.${i} (${d.id})`, async () => {
      const input = deploymentInput(d.id, d);
      const desired = deploymentJson({ ...input, createdAtMs: 0, updatedAtMs: 0 });
      await converge("deployment", d.id, "", await store.getDeployment(d.id), deploymentJson, desired, async () => (await store.putDeployment(input, now())).value);
    });
  }
  for (const [i, r] of file.routes.entries()) {
    await step(`routes.${i} (${r.model})`, async () => {
      const input = routeInput(r.model, r);
      const desired = routeJson({ ...input, createdAtMs: 0, updatedAtMs: 0 });
      await converge("route", r.model, "", await store.getRoute(r.model), routeJson, desired, async () => (await store.putRoute(input, now())).value);
    });
  }
  for (const [i, k] of plan.keys.entries()) {
    await step(`keys.${i} (${k.spec.id})`, async () => {
      const s = k.spec;
      const fields = {
        name: s.name ?? "", userId: s.user_id ?? "", projectId: s.project_id ?? "", allowedModels: s.allowed_models ?? [],
        limits: mergeBudgets(limitsFromBody(s.limits), budgetsFor("key", s.id)), metadata: s.metadata ?? {},
        expiresAtMs: s.expires_at === undefined ? null : Date.parse(s.expires_at),
      };
      const current = await store.getKey(s.id);
      const t = now();
      if (current === undefined) {
        const m = await store.createKey({ id: s.id, teamId: s.team_id, hash: k.hash, display: k.display, ...fields }, t);
        await audit("key", s.id, s.team_id, null, keyJson(m.value, t));
        return;
      }
      if (keyStatus(current, t) === "revoked") {
        warnings.push(`keys.${i} (${s.id}): the key is revoked; a revoked id cannot come back (give the key a new id)`);
        return;
      }
      if (current.teamId !== s.team_id) throw new Error(`team_id: key ${s.id} belongs to team ${current.teamId}; keys do not move between teams`);
      let latest = current;
      const desired = keyJson({ ...current, ...fields }, t);
      if (essence(keyJson(current, t)) !== essence(desired)) {
        latest = (await store.updateKey(s.id, fields, t))?.value ?? current;
        await audit("key", s.id, s.team_id, keyJson(current, t), keyJson(latest, t));
      } else counts.unchanged += 1;
      if (!latest.hash.equals(k.hash) && !latest.previousHashes.some((p) => p.hash.equals(k.hash))) {
        const grace = (s.rotation_grace_seconds ?? DEFAULT_ROTATION_GRACE_SECONDS) * 1000;
        const m = await store.rotateKey(s.id, { hash: k.hash, display: k.display, graceUntilMs: t + grace }, t);
        if (m) await audit("key", s.id, s.team_id, keyJson(latest, t), keyJson(m.value, t), "rotate");
      }
    });
  }
  // Budgets whose owner is not defined in the file: merged into the stored team or key.
  for (const [i, b] of file.budgets.entries()) {
    if (b.scope === "team" ? file.teams.some((t) => t.id === b.owner) : plan.keys.some((k) => k.spec.id === b.owner)) continue;
    await step(`budgets.${i} (${b.scope}/${b.owner}/${b.id})`, async () => {
      const budgets = budgetsFor(b.scope, b.owner).filter((x) => x.id === b.id);
      if (b.scope === "team") {
        const team = await store.getTeam(b.owner);
        if (!team) throw new Error(`owner: team ${b.owner} does not exist`);
        await putTeam({ ...team, limits: mergeBudgets(team.limits, budgets) }, `budgets.${i}`);
        return;
      }
      const key = await store.getKey(b.owner);
      if (!key) throw new Error(`owner: key ${b.owner} does not exist`);
      const limits = mergeBudgets(key.limits, budgets);
      if (essence(limits) === essence(key.limits)) {
        counts.unchanged += 1;
        return;
      }
      const t = now();
      const m = await store.updateKey(key.id, { limits }, t);
      if (m) await audit("key", key.id, key.teamId, keyJson(key, t), keyJson(m.value, t));
    });
  }
  return { ...counts, warnings };
}
