import { DeadlineWatch, type Watched } from "../routing/deadline-watch";
import type { HttpResponse } from "./uws";

const EMPTY = Buffer.alloc(0);

/** Parses a Content-Length header value; -1 when absent (chunked) or malformed. */
export function declaredLength(header: string): number {
  if (header === "") return -1;
  const n = Number(header);
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}

export interface BodyCallbacks {
  onBody(body: Buffer): void;
  onTooLarge(): void;
  /** The body did not arrive completely within the timeout (slow sender). */
  onTimeout(): void;
}

/** Slow senders are cut by one coarse process-wide watch (a Set insert and delete per body, no timer). */
const BODY_DEADLINES = new DeadlineWatch(100);

/**
 * Reads the request body, copying out of uWS's ArrayBuffers immediately (they are neutered after the
 * callback). With a Content-Length the body is copied into one preallocated buffer; without one, chunks
 * are collected and the limit is enforced while streaming. Must be called synchronously in the handler.
 * The caller checks a declared length against `maxBytes` before calling.
 */
export function readBody(res: HttpResponse, length: number, maxBytes: number, timeoutMs: number, cb: BodyCallbacks): void {
  if (length === 0) {
    cb.onBody(EMPTY);
    return;
  }
  const reader = new BodyReader(length, maxBytes, cb, BODY_DEADLINES.now() + timeoutMs);
  BODY_DEADLINES.add(reader);
  res.onData((chunk: ArrayBuffer, isLast: boolean) => reader.onData(chunk, isLast));
}

/** What a settled reader points at instead of its callbacks (uWS keeps the reader until the next request). */
const SETTLED: BodyCallbacks = { onBody() {}, onTooLarge() {}, onTimeout() {} };

class BodyReader implements Watched {
  watchSlot = -1;
  private settled = false;
  /** Known length: the body's one buffer. */
  private body: Buffer | null;
  /** Chunked: the pieces so far. */
  private chunks: Buffer[] | null;
  private received = 0;

  constructor(
    private readonly length: number,
    private readonly maxBytes: number,
    private cb: BodyCallbacks,
    public deadline: number,
  ) {
    this.body = length > 0 ? Buffer.allocUnsafe(length) : null;
    this.chunks = length > 0 ? null : [];
  }

  onData(chunk: ArrayBuffer, isLast: boolean): void {
    if (this.settled) return;
    const size = chunk.byteLength;
    const limit = this.body !== null ? this.length : this.maxBytes;
    if (this.received + size > limit) {
      this.settle().onTooLarge();
      return;
    }
    if (this.body !== null) this.body.set(new Uint8Array(chunk), this.received);
    else if (size > 0) (this.chunks as Buffer[]).push(Buffer.from(new Uint8Array(chunk)));
    this.received += size;
    if (isLast) {
      const body = this.assembled();
      this.settle().onBody(body);
    }
  }

  expire(): void {
    if (this.settled) return;
    this.settle().onTimeout();
  }

  private assembled(): Buffer {
    const body = this.body;
    if (body !== null) return this.received === this.length ? body : body.subarray(0, this.received);
    const chunks = this.chunks as Buffer[];
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.received);
  }

  /** Done reading: the callbacks to call, which the reader no longer holds. */
  private settle(): BodyCallbacks {
    const cb = this.cb;
    this.settled = true;
    this.cb = SETTLED;
    this.body = null;
    this.chunks = null;
    BODY_DEADLINES.delete(this);
    return cb;
  }
}
