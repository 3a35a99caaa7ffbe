import { createHash } from "node:crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM9 = /^[A-Za-z0-9]{9}$/;

/**
 * Deterministic 9-character alphanumeric id for a tool-call id (Mistral's `^[a-zA-Z0-9]{9}$` rule, §7.1):
 * ids that already match are kept; others map to base62 digits of their SHA-256, so the assistant
 * `tool_calls[].id` and the matching `tool_call_id` always agree.
 */
export function alnum9(id: string): string {
  if (ALNUM9.test(id)) return id;
  const digest = createHash("sha256").update(id).digest();
  let out = "";
  for (let i = 0; i < 9; i++) out += ALNUM[(digest[i] as number) % 62];
  return out;
}
