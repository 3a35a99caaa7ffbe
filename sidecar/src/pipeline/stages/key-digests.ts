/** Entries kept before the memo starts over. */
export const KEY_DIGEST_MEMO_SIZE = 1024;

/**
 * Remembers the key-map digest of tokens that named a key, so a client that sends the same virtual key on
 * every request is not hashed every time (SHA-256 is the largest single cost of key auth: ~0.7 µs per
 * request under load). It maps a token to its digest only — which key that digest names, and whether it
 * is revoked or expired, is looked up in the current policy on every request — so it never needs
 * invalidating. Only tokens that named a key are kept, so a flood of made-up tokens cannot push the real
 * ones out; bounded; cleared whole when full.
 */
export class KeyDigests {
  private readonly memo = new Map<string, string>();

  constructor(private readonly capacity: number = KEY_DIGEST_MEMO_SIZE) {}

  /** The remembered digest of `token`, if any. */
  get(token: string): string | undefined {
    return this.memo.get(token);
  }

  /** `token` named a key: remember its digest. */
  remember(token: string, digest: string): void {
    if (this.memo.size >= this.capacity) this.memo.clear();
    this.memo.set(token, digest);
  }

  get size(): number {
    return this.memo.size;
  }
}
