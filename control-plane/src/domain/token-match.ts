import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/**
 * A constant-time matcher over a fixed set of tokens: the presented value and every accepted token are
 * compared as SHA-256 digests (equal length), and every token is always compared.
 */
export function createTokenMatcher(tokens: readonly string[]): (presented: string | undefined) => boolean {
  const digests = tokens.map(digest);
  return (presented) => {
    if (presented === undefined || presented.length === 0) return false;
    const d = digest(presented);
    let match = false;
    for (const t of digests) match = timingSafeEqual(d, t) || match;
    return match;
  };
}

/** The token of an `Authorization: Bearer <token>` value, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1] : undefined;
}
