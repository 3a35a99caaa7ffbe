import { createHash, randomBytes } from "node:crypto";
import type { KeyStatus } from "./types";

export const KEY_PREFIX = "sk-sg-";
/** What an imported secret must look like. */
export const IMPORTED_SECRET_PATTERN = /^sk-[A-Za-z0-9_-]{20,200}$/;

/** `sk-sg-` + base64url of 32 random bytes (43 characters). */
export function generateKeySecret(random: (n: number) => Buffer = randomBytes): string {
  return KEY_PREFIX + random(32).toString("base64url");
}

/** SHA-256 over the UTF-8 secret: 32 raw bytes, exactly what sidecars compute per request. */
export function hashKeySecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** Safe-for-logs form: `sk-sg-…` + the last 4 characters. */
export function maskKeySecret(secret: string): string {
  return `${KEY_PREFIX}…${secret.slice(-4)}`;
}

export function keyStatus(key: { readonly revokedAtMs: number | null; readonly expiresAtMs: number | null }, nowMs: number): KeyStatus {
  if (key.revokedAtMs !== null) return "revoked";
  if (key.expiresAtMs !== null && key.expiresAtMs <= nowMs) return "expired";
  return "active";
}
