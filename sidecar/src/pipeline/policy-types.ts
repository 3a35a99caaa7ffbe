import type { Deployment, ProviderCredential } from "../../../proto";
import type { PolicyIndex, TargetEntry } from "../policy/snapshot";
import { findAdapter } from "../providers/registry";
import type { PreparedDeployment, ProviderAdapter } from "../providers/types";

/** What the policy index holds per deployment: its adapter and the adapter's prepared form. */
export interface PreparedTarget {
  readonly adapter: ProviderAdapter;
  readonly deployment: PreparedDeployment;
}

export type SidecarPolicy = PolicyIndex<PreparedTarget>;
export type SidecarTarget = TargetEntry<PreparedTarget>;

/** The DeploymentPreparer the policy index is built with: resolves the adapter from the registry. */
export function prepareTarget(deployment: Deployment, credential: ProviderCredential | null): PreparedTarget | null {
  const adapter = findAdapter(deployment.provider);
  if (adapter === undefined) return null;
  const prepared = adapter.prepare(
    {
      id: deployment.id,
      provider: deployment.provider,
      baseUrl: deployment.base_url,
      region: deployment.region,
      options: deployment.options,
    },
    credential === null ? null : credential.secrets,
  );
  return Object.freeze({ adapter, deployment: prepared });
}
