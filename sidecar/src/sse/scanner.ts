/**
 * Byte-level Server-Sent-Events framing. Feed raw chunks; complete events (their raw bytes including the
 * terminating blank line) are handed to `onEvent`. Line ends are LF or CRLF (so events end at `\n\n`,
 * `\r\n\r\n` or mixes). Lone-CR line ends (allowed by the spec, unused by LLM providers) are not
 * recognised. No string conversion, split or regex: one `indexOf(LF)` per line.
 *
 * When an event lies entirely inside one chunk the event is a zero-copy `subarray` of that chunk.
 */
const LF = 0x0a;
const CR = 0x0d;
const EMPTY = new Uint8Array(0);

export type SseEventHandler = (event: Uint8Array) => void;

export class SseScanner {
  /** Bytes of the incomplete event carried over from earlier chunks. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Length of the current (unterminated) line so far, and whether its first byte is CR. */
  private lineLen = 0;
  private lineStartsWithCr = false;

  /** True when an incomplete event is buffered. */
  get hasPending(): boolean {
    return this.pendingBytes > 0;
  }

  push(chunk: Uint8Array, onEvent: SseEventHandler): void {
    let pos = 0;
    let eventStart = 0;
    const len = chunk.length;
    while (pos < len) {
      const lf = chunk.indexOf(LF, pos);
      if (lf === -1) {
        this.extendLine(chunk, pos, len);
        break;
      }
      const segLen = lf - pos;
      const total = this.lineLen + segLen;
      const firstIsCr = this.lineLen > 0 ? this.lineStartsWithCr : segLen > 0 && chunk[pos] === CR;
      this.lineLen = 0;
      this.lineStartsWithCr = false;
      pos = lf + 1;
      if (total === 0 || (total === 1 && firstIsCr)) {
        onEvent(this.take(chunk, eventStart, pos));
        eventStart = pos;
      }
    }
    if (eventStart < len) this.keep(chunk.subarray(eventStart, len));
  }

  /** End of stream: returns an unterminated trailing event's bytes (possibly empty) and resets. */
  finish(): Uint8Array {
    const rest = this.pendingBytes > 0 ? concat(this.pending, this.pendingBytes) : EMPTY;
    this.pending = [];
    this.pendingBytes = 0;
    this.lineLen = 0;
    this.lineStartsWithCr = false;
    return rest;
  }

  private extendLine(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    if (this.lineLen === 0) this.lineStartsWithCr = chunk[from] === CR;
    this.lineLen += to - from;
  }

  private keep(part: Uint8Array): void {
    this.pending.push(part);
    this.pendingBytes += part.length;
  }

  private take(chunk: Uint8Array, start: number, end: number): Uint8Array {
    if (this.pendingBytes === 0) return chunk.subarray(start, end);
    this.pending.push(chunk.subarray(start, end));
    const event = concat(this.pending, this.pendingBytes + end - start);
    this.pending = [];
    this.pendingBytes = 0;
    return event;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const DATA = [0x64, 0x61, 0x74, 0x61]; // "data"
const COLON = 0x3a;
const SPACE = 0x20;

/**
 * The event's data: the values of its `data:` lines joined by LF (SSE spec), as bytes. Returns null when
 * the event has no data line (comments, keep-alives). Single-line data (the common case) is zero-copy.
 */
export function eventData(event: Uint8Array): Uint8Array | null {
  let parts: Uint8Array[] | null = null;
  let first: Uint8Array | null = null;
  let pos = 0;
  const len = event.length;
  while (pos < len) {
    let end = event.indexOf(LF, pos);
    if (end === -1) end = len;
    let lineEnd = end;
    if (lineEnd > pos && event[lineEnd - 1] === CR) lineEnd--;
    const value = dataValue(event, pos, lineEnd);
    if (value !== null) {
      if (first === null) first = value;
      else (parts ??= [first]).push(value);
    }
    pos = end + 1;
  }
  if (parts === null) return first;
  return joinLines(parts);
}

function dataValue(event: Uint8Array, start: number, end: number): Uint8Array | null {
  if (end - start < 4) return null;
  for (let i = 0; i < 4; i++) if (event[start + i] !== DATA[i]) return null;
  let p = start + 4;
  if (p === end) return event.subarray(p, p);
  if (event[p] !== COLON) return null;
  p++;
  if (p < end && event[p] === SPACE) p++;
  return event.subarray(p, end);
}

function joinLines(parts: Uint8Array[]): Uint8Array {
  let total = parts.length - 1;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out[offset++] = LF;
    const part = parts[i] as Uint8Array;
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
