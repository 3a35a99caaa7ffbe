/**
 * Spool record framing: u32 BE payload length · u32 BE CRC-32 of the payload · payload. A reader stops at
 * the first frame that is short, oversized or fails its CRC (a torn tail after a crash); everything before
 * it is intact.
 */
export const FRAME_HEADER_BYTES = 8;
/** Larger lengths are treated as corruption, not allocated. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32(payload), 4);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

/** Reads `length` bytes at `position`; returns fewer at end of file. */
export type ReadAt = (position: number, length: number) => Buffer;

export interface ScannedFrame {
  readonly offset: number;
  readonly payload: Buffer;
}

/** Scans frames from offset 0. `end` is where the last intact frame ends (truncate there before appending). */
export function scanFrames(readAt: ReadAt, size: number): { frames: ScannedFrame[]; end: number } {
  const frames: ScannedFrame[] = [];
  let offset = 0;
  while (offset + FRAME_HEADER_BYTES <= size) {
    const header = readAt(offset, FRAME_HEADER_BYTES);
    if (header.length < FRAME_HEADER_BYTES) break;
    const length = header.readUInt32BE(0);
    if (length > MAX_FRAME_BYTES || offset + FRAME_HEADER_BYTES + length > size) break;
    const payload = readAt(offset + FRAME_HEADER_BYTES, length);
    if (payload.length < length || crc32(payload) !== header.readUInt32BE(4)) break;
    frames.push({ offset, payload });
    offset += FRAME_HEADER_BYTES + length;
  }
  return { frames, end: offset };
}
