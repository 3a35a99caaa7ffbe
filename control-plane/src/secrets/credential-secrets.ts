import type { OpenCredential, ProviderCredential, SealedSecrets } from "../domain/types";
import { open, seal } from "./envelope";

const context = (credentialId: string): string => `provider_credential:${credentialId}`;

/** Encrypts a credential's secret fields (as JSON) for storage. */
export function sealCredentialSecrets(masterKey: Buffer, credentialId: string, secrets: Readonly<Record<string, string>>): SealedSecrets {
  return seal(masterKey, context(credentialId), Buffer.from(JSON.stringify(secrets), "utf8"));
}

/** Decrypts a stored credential for the policy snapshot. */
export function openCredential(masterKey: Buffer, credential: ProviderCredential): OpenCredential {
  const plain = open(masterKey, context(credential.id), credential.sealed);
  try {
    const parsed: unknown = JSON.parse(plain.toString("utf8"));
    const secrets: Record<string, string> = {};
    if (parsed !== null && typeof parsed === "object") {
      for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") secrets[k] = v;
    }
    return { id: credential.id, provider: credential.provider, secrets };
  } finally {
    plain.fill(0);
  }
}
