/** Seeded random inputs for the fuzz loop: JSON values, byte mutations, request shapes. */
export type Random = () => number;

/** mulberry32: small, fast, reproducible from one 32-bit seed. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: Random, n: number): number => Math.floor(r() * n);
export function pick<T>(r: Random, items: readonly T[]): T {
  return items[int(r, items.length)] as T;
}

const STRINGS = ["", "mock-echo", "user", "assistant", "\u0000", "\r\n", "é", "\ud83d\ude00", "x".repeat(300), "[mock:latency=1]", "null"];
const NUMBERS = [0, -1, 1, 1.5, 2 ** 31, 2 ** 53 + 2, -0, 1e308, Number.MAX_SAFE_INTEGER];
const KEYS = ["model", "messages", "role", "content", "stream", "stream_options", "include_usage", "max_tokens", "n", "tools", "name", "targets", "team_id", "__proto__", "constructor"];

/** A random JSON value, biased toward the field names and edge values the listeners care about. */
export function randomJson(r: Random, depth = 0): unknown {
  const roll = int(r, depth > 6 ? 4 : 7);
  if (roll === 0) return pick(r, STRINGS);
  if (roll === 1) return pick(r, NUMBERS);
  if (roll === 2) return pick(r, [true, false, null]);
  if (roll === 3) return String.fromCharCode(...Array.from({ length: int(r, 20) }, () => 32 + int(r, 95)));
  if (roll === 4) return Array.from({ length: int(r, 5) }, () => randomJson(r, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = int(r, 6); i > 0; i--) obj[pick(r, KEYS)] = randomJson(r, depth + 1);
  return obj;
}

/** Flip, insert, delete, duplicate or truncate bytes. */
export function mutate(r: Random, input: Buffer): Buffer {
  let buf = Buffer.from(input);
  for (let n = 1 + int(r, 4); n > 0; n--) {
    const at = int(r, buf.length + 1);
    const op = int(r, 5);
    if (op === 0 && buf.length > 0) buf[Math.min(at, buf.length - 1)] = int(r, 256);
    else if (op === 1) buf = Buffer.concat([buf.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(r, 8) }, () => int(r, 256))), buf.subarray(at)]);
    else if (op === 2) buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + 1 + int(r, 16))]);
    else if (op === 3) buf = Buffer.concat([buf.subarray(0, at), buf.subarray(Math.max(0, at - 8), at), buf.subarray(at)]);
    else buf = buf.subarray(0, at);
  }
  return buf;
}

/** A body: a valid-looking document, a random JSON value, or either one mutated. */
export function randomBody(r: Random, valid: unknown): Buffer {
  const base = Buffer.from(JSON.stringify(r() < 0.5 ? valid : randomJson(r)));
  return r() < 0.5 ? mutate(r, base) : base;
}

/** Visible ASCII only: header bytes uWebSockets.js cannot parse are dropped, not answered (see the corpus). */
export function randomHeaderValue(r: Random): string {
  return String.fromCharCode(...Array.from({ length: int(r, 40) }, () => 33 + int(r, 94)));
}
