/**
 * Direct addressing (`model: "<provider>/<upstream model>"`): a deployment's `directModels` lists the upstream
 * models clients may name that way, "*" meaning any. For one provider id an entry may be listed by one
 * deployment only, so an address always resolves to one deployment (an exact entry wins over "*").
 */
export interface DirectModelsOwner {
  readonly id: string;
  readonly provider: string;
  readonly directModels: readonly string[];
}

export interface DirectModelOverlap {
  readonly entry: string;
  readonly deploymentId: string;
}

/** The first entry of `candidate` another deployment of the same provider already lists, or null. */
export function findDirectModelOverlap(candidate: DirectModelsOwner, existing: readonly DirectModelsOwner[]): DirectModelOverlap | null {
  if (candidate.directModels.length === 0) return null;
  const wanted = new Set(candidate.directModels);
  for (const other of existing) {
    if (other.id === candidate.id || other.provider !== candidate.provider) continue;
    for (const entry of other.directModels) if (wanted.has(entry)) return { entry, deploymentId: other.id };
  }
  return null;
}
