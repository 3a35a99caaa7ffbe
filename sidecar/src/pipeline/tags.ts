/** Request tags for attribution: `x-sidegate-tags: team=web,feature=search` (metadata only, never content). */

export const TAGS_HEADER = "x-sidegate-tags";
export const MAX_TAGS = 16;
const KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_VALUE = 128;

const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Parses `k=v` pairs separated by commas; whitespace around them is trimmed. Malformed pairs (no `=`, a key
 * outside [A-Za-z0-9_.-]{1,64}, a value over 128 characters) are dropped, as is everything after 16 pairs:
 * tags are best-effort attribution and never fail a request. Empty header → a shared empty object.
 */
export function parseTags(header: string): Readonly<Record<string, string>> {
  if (header.length === 0) return NO_TAGS;
  const out: Record<string, string> = {};
  let count = 0;
  for (const part of header.split(",", MAX_TAGS)) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!KEY.test(key) || value.length > MAX_VALUE || key === "__proto__") continue;
    out[key] = value;
    count += 1;
  }
  return count === 0 ? NO_TAGS : out;
}
