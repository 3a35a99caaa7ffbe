import type { Database } from "better-sqlite3";
import type { ProviderCredential } from "../../domain/types";
import type { CredentialInput } from "../types";
import { stringList, toJson } from "./codec";

interface CredentialRow {
  id: string;
  provider: string;
  secret_fields: string;
  key_version: number;
  wrapped_key: Buffer;
  wrap_iv: Buffer;
  wrap_tag: Buffer;
  data_iv: Buffer;
  data_tag: Buffer;
  ciphertext: Buffer;
  created_at: number;
  updated_at: number;
}

const toCredential = (r: CredentialRow): ProviderCredential => ({
  id: r.id,
  provider: r.provider,
  secretFields: stringList(r.secret_fields),
  sealed: {
    keyVersion: r.key_version,
    wrappedKey: r.wrapped_key,
    wrapIv: r.wrap_iv,
    wrapTag: r.wrap_tag,
    dataIv: r.data_iv,
    dataTag: r.data_tag,
    ciphertext: r.ciphertext,
  },
  createdAtMs: r.created_at,
  updatedAtMs: r.updated_at,
});

/** Prepared statements over `provider_credentials` (envelope columns only; never plaintext). */
export function createCredentialsTable(db: Database) {
  const list = db.prepare<[], CredentialRow>("SELECT * FROM provider_credentials ORDER BY id");
  const get = db.prepare<[string], CredentialRow>("SELECT * FROM provider_credentials WHERE id = ?");
  const upsert = db.prepare<[Record<string, unknown>], CredentialRow>(
    `INSERT INTO provider_credentials (id, provider, secret_fields, key_version, wrapped_key, wrap_iv, wrap_tag, data_iv, data_tag,
       ciphertext, created_at, updated_at)
     VALUES (@id, @provider, @secret_fields, @key_version, @wrapped_key, @wrap_iv, @wrap_tag, @data_iv, @data_tag, @ciphertext, @now, @now)
     ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, secret_fields = excluded.secret_fields,
       key_version = excluded.key_version, wrapped_key = excluded.wrapped_key, wrap_iv = excluded.wrap_iv,
       wrap_tag = excluded.wrap_tag, data_iv = excluded.data_iv, data_tag = excluded.data_tag, ciphertext = excluded.ciphertext,
       updated_at = excluded.updated_at
     RETURNING *`,
  );
  const remove = db.prepare<[string]>("DELETE FROM provider_credentials WHERE id = ?");
  return {
    list: (): ProviderCredential[] => list.all().map(toCredential),
    get: (id: string): ProviderCredential | undefined => {
      const r = get.get(id);
      return r ? toCredential(r) : undefined;
    },
    upsert: (c: CredentialInput, now: number): ProviderCredential => {
      const s = c.sealed;
      const row = upsert.get({
        id: c.id, provider: c.provider, secret_fields: toJson(c.secretFields), key_version: s.keyVersion, wrapped_key: s.wrappedKey,
        wrap_iv: s.wrapIv, wrap_tag: s.wrapTag, data_iv: s.dataIv, data_tag: s.dataTag, ciphertext: s.ciphertext, now,
      });
      if (!row) throw new Error("credential upsert returned nothing");
      return toCredential(row);
    },
    remove: (id: string): boolean => remove.run(id).changes > 0,
  };
}
