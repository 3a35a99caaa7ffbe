import { hashSecret } from "../../policy/snapshot";

/** Entries kept before the memo starts over (a flood of distinct keys only costs the hashing it always did). */
export const KEY_DIGEST_MEMO_SIZE = 1024;

/**
 * Remembers the key-map digest of recently presented tokens, so a client that sends the same virtual key
 * on every request is not hashed every time (SHA-256 is the largest single cost of key auth: ~0.7 µs per
 * request under load). It maps a token to its digest only — which key that digest names, and whether it
 * is revoked or expired, is looked up in the current policy on every request — so it never needs
 * invalidating. Holds only tokens clients already sent; bounded; cleared whole when full.
 */
export class KeyDigests {
  private readonly memo = new Map<string, string>();

  constructor(private readonly capacity: number = KEY_DIGEST_MEMO_SIZE) {}

  of(token: string): string {
    let digest = this.memo.get(token);
    if (digest === undefined) {
      digest = hashSecret(token);
      if (this.memo.size >= this.capacity) this.memo.clear();
      this.memo.set(token, digest);
    }
    return digest;
  }

  get size(): number {
    return this.memo.size;
  }
}
