/** Field names whose values never enter the audit log, whatever resource they appear in. */
const SECRET_FIELDS = new Set(["key", "secret", "secrets", "hash", "hashes", "previous_hashes", "token", "password", "api_key"]);

/**
 * Deep copy of admin JSON with every secret-bearing field removed: the audit log stores what changed,
 * never a credential, key secret, token or hash (presenters already omit them; this is the second line).
 */
export function redactForAudit(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(redactForAudit);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return "[redacted]";
  if (typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_FIELDS.has(k.toLowerCase())) continue;
    out[k] = redactForAudit(v);
  }
  return out;
}
