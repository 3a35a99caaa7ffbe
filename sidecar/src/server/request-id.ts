import { randomUUID } from "node:crypto";

const MAX_LEN = 128;

/** An incoming x-request-id is kept only if it is 1-128 chars of [A-Za-z0-9._:-]; otherwise a new UUID. */
export function acceptRequestId(incoming: string): string {
  const len = incoming.length;
  if (len === 0 || len > MAX_LEN) return randomUUID();
  for (let i = 0; i < len; i++) {
    const c = incoming.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 58) || // 0-9 and ':'
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 45 || // -
      c === 46 || // .
      c === 95; // _
    if (!ok) return randomUUID();
  }
  return incoming;
}
