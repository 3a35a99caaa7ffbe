import { randomBytes } from "node:crypto";

export const ADMIN_TOKEN_PREFIX = "sga-";

/** `sga-` + base64url of 32 random bytes. */
export function generateAdminToken(random: (n: number) => Buffer = randomBytes): string {
  return ADMIN_TOKEN_PREFIX + random(32).toString("base64url");
}

/** Safe-for-logs form: `sga-…` + the last 4 characters. */
export function maskAdminToken(secret: string): string {
  return `${ADMIN_TOKEN_PREFIX}…${secret.slice(-4)}`;
}
