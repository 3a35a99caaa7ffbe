import type { Database } from "better-sqlite3";
import type { Deployment } from "../../domain/types";
import type { DeploymentInput } from "../types";
import { stringList, stringMap, toJson } from "./codec";

interface DeploymentRow {
  id: string;
  provider: string;
  base_url: string;
  upstream_model: string;
  credential_id: string;
  region: string;
  options: string;
  timeout_ms: number;
  direct_models: string;
  created_at: number;
  updated_at: number;
}

const toDeployment = (r: DeploymentRow): Deployment => ({
  id: r.id,
  provider: r.provider,
  baseUrl: r.base_url,
  upstreamModel: r.upstream_model,
  credentialId: r.credential_id,
  region: r.region,
  options: stringMap(r.options),
  timeoutMs: r.timeout_ms,
  directModels: stringList(r.direct_models),
  createdAtMs: r.created_at,
  updatedAtMs: r.updated_at,
});

/** Prepared statements over `deployments`. */
export function createDeploymentsTable(db: Database) {
  const list = db.prepare<[], DeploymentRow>("SELECT * FROM deployments ORDER BY id");
  const get = db.prepare<[string], DeploymentRow>("SELECT * FROM deployments WHERE id = ?");
  const upsert = db.prepare<[Record<string, unknown>], DeploymentRow>(
    `INSERT INTO deployments (id, provider, base_url, upstream_model, credential_id, region, options, timeout_ms, direct_models, created_at, updated_at)
     VALUES (@id, @provider, @base_url, @upstream_model, @credential_id, @region, @options, @timeout_ms, @direct_models, @now, @now)
     ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, base_url = excluded.base_url,
       upstream_model = excluded.upstream_model, credential_id = excluded.credential_id, region = excluded.region,
       options = excluded.options, timeout_ms = excluded.timeout_ms, direct_models = excluded.direct_models,
       updated_at = excluded.updated_at
     RETURNING *`,
  );
  const remove = db.prepare<[string]>("DELETE FROM deployments WHERE id = ?");
  return {
    list: (): Deployment[] => list.all().map(toDeployment),
    get: (id: string): Deployment | undefined => {
      const r = get.get(id);
      return r ? toDeployment(r) : undefined;
    },
    upsert: (d: DeploymentInput, now: number): Deployment => {
      const row = upsert.get({
        id: d.id, provider: d.provider, base_url: d.baseUrl, upstream_model: d.upstreamModel, credential_id: d.credentialId,
        region: d.region, options: toJson(d.options), timeout_ms: d.timeoutMs, direct_models: toJson(d.directModels), now,
      });
      if (!row) throw new Error("deployment upsert returned nothing");
      return toDeployment(row);
    },
    remove: (id: string): boolean => remove.run(id).changes > 0,
  };
}
