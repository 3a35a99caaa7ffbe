/**
 * `application/vnd.amazon.eventstream` framing. Network chunks do not align with messages: the framer reads
 * the 4-byte big-endian total length of each prelude, buffers until the whole message is there (splits may
 * fall anywhere, including inside the prelude), and hands out complete messages — zero-copy when a message
 * lies inside one chunk. Decoding (both CRCs, header types 0–9) is done by AWS's EventStreamCodec.
 */
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

/** Prelude (8) + prelude CRC (4) + message CRC (4). */
export const MIN_MESSAGE_BYTES = 16;
/** The event-stream limit for one message (16 MiB); a larger prelude length means corrupt framing. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export class FramingError extends Error {}

export type MessageHandler = (message: Uint8Array) => void;

function totalLength(bytes: Uint8Array, at: number): number {
  return (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>> 0;
}

function checkLength(total: number): number {
  if (total < MIN_MESSAGE_BYTES || total > MAX_MESSAGE_BYTES) throw new FramingError(`event-stream message length ${total} is out of range`);
  return total;
}

export class EventStreamFramer {
  private parts: Uint8Array[] = [];
  private buffered = 0;
  /** Total length of the message being buffered, 0 while its prelude length is incomplete. */
  private need = 0;

  /** Bytes of an incomplete message held back. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Calls `onMessage` for every message completed by `chunk`, in order. Throws FramingError on a bad length. */
  push(chunk: Uint8Array, onMessage: MessageHandler): void {
    if (chunk.length === 0) return;
    if (this.buffered === 0) return this.scan(chunk, onMessage);
    this.parts.push(chunk);
    this.buffered += chunk.length;
    if (this.need === 0 && this.buffered >= 4) this.need = checkLength(totalLength(this.head4(), 0));
    if (this.need === 0 || this.buffered < this.need) return;
    const whole = Buffer.concat(this.parts, this.buffered);
    this.parts = [];
    this.buffered = 0;
    this.need = 0;
    this.scan(whole, onMessage);
  }

  /** Emits the complete messages of `bytes` and keeps (a copy of) the incomplete rest. */
  private scan(bytes: Uint8Array, onMessage: MessageHandler): void {
    let off = 0;
    while (bytes.length - off >= 4) {
      const total = checkLength(totalLength(bytes, off));
      if (bytes.length - off < total) {
        this.need = total;
        break;
      }
      onMessage(bytes.subarray(off, off + total));
      off += total;
    }
    if (off < bytes.length) {
      this.parts = [new Uint8Array(bytes.subarray(off))];
      this.buffered = bytes.length - off;
    }
  }

  private head4(): Uint8Array {
    const first = this.parts[0] as Uint8Array;
    return first.length >= 4 ? first : Buffer.concat(this.parts, this.buffered).subarray(0, 4);
  }
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export interface DecodedMessage {
  /** String-valued headers (`:message-type`, `:event-type`, `:exception-type`, …); other types are skipped. */
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: Uint8Array;
}

/** Decodes one complete message; throws when a CRC or the header block is invalid. */
export function decodeMessage(message: Uint8Array): DecodedMessage {
  const decoded = codec.decode(message);
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(decoded.headers)) {
    if (header.type === "string") headers[name] = header.value;
  }
  return { headers, payload: decoded.body };
}
