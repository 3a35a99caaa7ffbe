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
  let settled = false;
  const timer = setTimeout(() => {
    if (settled) return;
    settled = true;
    cb.onTimeout();
  }, timeoutMs);
  const once =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(...args);
    };
  const onBody = once(cb.onBody);
  const onTooLarge = once(cb.onTooLarge);
  if (length > 0) readKnownLength(res, length, onBody, onTooLarge);
  else readChunked(res, maxBytes, onBody, onTooLarge);
}

function readKnownLength(res: HttpResponse, length: number, onBody: (body: Buffer) => void, onTooLarge: () => void): void {
  const body = Buffer.allocUnsafe(length);
  let offset = 0;
  let failed = false;
  res.onData((chunk: ArrayBuffer, isLast: boolean) => {
    if (failed) return;
    const view = new Uint8Array(chunk);
    if (offset + view.length > length) {
      failed = true;
      onTooLarge();
      return;
    }
    body.set(view, offset);
    offset += view.length;
    if (isLast) onBody(offset === length ? body : body.subarray(0, offset));
  });
}

function readChunked(res: HttpResponse, maxBytes: number, onBody: (body: Buffer) => void, onTooLarge: () => void): void {
  const chunks: Buffer[] = [];
  let total = 0;
  let failed = false;
  res.onData((chunk: ArrayBuffer, isLast: boolean) => {
    if (failed) return;
    total += chunk.byteLength;
    if (total > maxBytes) {
      failed = true;
      onTooLarge();
      return;
    }
    if (chunk.byteLength > 0) chunks.push(Buffer.from(new Uint8Array(chunk)));
    if (isLast) onBody(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
  });
}
