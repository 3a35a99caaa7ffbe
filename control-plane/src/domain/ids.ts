import { randomBytes } from "node:crypto";

/** Resource ids: lowercase, start with a letter or digit, at most 63 characters. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const ID_PATTERN_SOURCE = "^[a-z0-9][a-z0-9._-]{0,62}$";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** `<prefix>_<16 random base36 chars>`, e.g. `team_k3j9…`. ~82 bits of entropy. */
export function generateId(prefix: string, random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(16);
  let out = "";
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}
