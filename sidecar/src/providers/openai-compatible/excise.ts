/**
 * Byte-level removal of a JSON member (`"key": <object|array>`) from an event or body, without parsing:
 * used to strip provider annotations (Azure content-filter results) from otherwise pass-through bytes.
 * Matches only unescaped keys, so text inside JSON strings (where quotes are escaped) is never touched.
 */
import { isSpace } from "./bytes";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/** Index after the object/array/string/scalar value starting at `start` (first non-space), or -1. */
export function valueEnd(buf: Uint8Array, start: number): number {
  let i = start;
  const open = buf[i];
  if (open === QUOTE) return stringEnd(buf, i);
  if (open !== 0x7b && open !== 0x5b) {
    while (i < buf.length && buf[i] !== COMMA && buf[i] !== 0x7d && buf[i] !== 0x5d) i++;
    return i;
  }
  let depth = 0;
  for (; i < buf.length; i++) {
    const c = buf[i];
    if (c === QUOTE) i = stringEnd(buf, i) - 1;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}

function stringEnd(buf: Uint8Array, start: number): number {
  let i = start + 1;
  while (i < buf.length && buf[i] !== QUOTE) i += buf[i] === BACKSLASH ? 2 : 1;
  return i < buf.length ? i + 1 : -1;
}

/** Removes every `"key":value` member (and one adjacent comma). Returns the input when the key is absent. */
export function exciseMember(bytes: Uint8Array, key: string): Uint8Array {
  const needle = Buffer.from(`"${key}"`);
  let buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let from = 0;
  for (;;) {
    const at = buf.indexOf(needle, from);
    if (at === -1) return buf;
    let p = at + needle.length;
    while (isSpace(buf[p])) p++;
    if (buf[p] !== 0x3a) {
      from = at + 1;
      continue;
    }
    p++;
    while (isSpace(buf[p])) p++;
    const end = valueEnd(buf, p);
    if (end === -1) return buf;
    let start = at;
    let stop = end;
    let before = at - 1;
    while (before >= 0 && isSpace(buf[before])) before--;
    if (buf[before] === COMMA) start = before;
    else {
      let after = end;
      while (after < buf.length && isSpace(buf[after])) after++;
      if (buf[after] === COMMA) stop = after + 1;
    }
    buf = Buffer.concat([buf.subarray(0, start), buf.subarray(stop)]);
    from = start;
  }
}
