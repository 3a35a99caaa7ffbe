/**
 * AES-256-GCM sealing for files the sidecar keeps at rest (the policy snapshot holds provider credentials).
 * Layout: magic (4 bytes) · IV (12) · auth tag (16) · ciphertext. The magic is authenticated as AAD.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SEALED_KEY_BYTES = 32;

export class SealedBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedBoxError";
  }
}

export function seal(key: Buffer, magic: Buffer, plaintext: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(magic);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([magic, iv, cipher.getAuthTag(), body]);
}

/** Throws SealedBoxError on a wrong magic, a truncated file, a wrong key or tampered bytes. */
export function open(key: Buffer, magic: Buffer, sealed: Buffer): Buffer {
  const head = magic.length + IV_BYTES + TAG_BYTES;
  if (sealed.length < head || !sealed.subarray(0, magic.length).equals(magic)) {
    throw new SealedBoxError("not a sealed file of this kind (bad header)");
  }
  const iv = sealed.subarray(magic.length, magic.length + IV_BYTES);
  const tag = sealed.subarray(magic.length + IV_BYTES, head);
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(magic);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(head)), decipher.final()]);
  } catch {
    throw new SealedBoxError("authentication failed (wrong key or corrupted file)");
  }
}
