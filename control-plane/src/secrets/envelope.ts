import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { SealedSecrets } from "../domain/types";

const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Version of the master key that wrapped a data key; bumps when master key rotation lands. */
export const MASTER_KEY_VERSION = 1;

/** Thrown when an envelope cannot be opened (tampered, wrong master key, wrong id). Never carries key material. */
export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvelopeError";
  }
}

function aad(kind: "data" | "dek", context: string, keyVersion: number): Buffer {
  return Buffer.from(`sidegate/v1/${kind}/${keyVersion}/${context}`, "utf8");
}

function encrypt(key: Buffer, plaintext: Buffer, additional: Buffer): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additional);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

function decrypt(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, additional: Buffer): Buffer {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new EnvelopeError("malformed envelope");
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additional);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/**
 * Envelope encryption: a fresh random 256-bit data key encrypts `plaintext`; the data key is itself
 * encrypted ("wrapped") under the master key. Both layers are AES-256-GCM and bind `context` (the
 * credential id) as additional authenticated data, so an envelope copied to another row does not open.
 */
export function seal(masterKey: Buffer, context: string, plaintext: Buffer): SealedSecrets {
  if (masterKey.length !== KEY_BYTES) throw new EnvelopeError(`master key must be ${KEY_BYTES} bytes`);
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const data = encrypt(dataKey, plaintext, aad("data", context, MASTER_KEY_VERSION));
    const wrap = encrypt(masterKey, dataKey, aad("dek", context, MASTER_KEY_VERSION));
    return {
      keyVersion: MASTER_KEY_VERSION,
      wrappedKey: wrap.ciphertext,
      wrapIv: wrap.iv,
      wrapTag: wrap.tag,
      dataIv: data.iv,
      dataTag: data.tag,
      ciphertext: data.ciphertext,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Opens an envelope sealed by `seal` with the same master key and context; throws EnvelopeError otherwise. */
export function open(masterKey: Buffer, context: string, sealed: SealedSecrets): Buffer {
  if (masterKey.length !== KEY_BYTES) throw new EnvelopeError(`master key must be ${KEY_BYTES} bytes`);
  let dataKey: Buffer | undefined;
  try {
    dataKey = decrypt(masterKey, sealed.wrapIv, sealed.wrapTag, sealed.wrappedKey, aad("dek", context, sealed.keyVersion));
    return decrypt(dataKey, sealed.dataIv, sealed.dataTag, sealed.ciphertext, aad("data", context, sealed.keyVersion));
  } catch (err) {
    if (err instanceof EnvelopeError) throw err;
    throw new EnvelopeError(`cannot open envelope for ${JSON.stringify(context)}: authentication failed (wrong master key or tampered data)`);
  } finally {
    dataKey?.fill(0);
  }
}
