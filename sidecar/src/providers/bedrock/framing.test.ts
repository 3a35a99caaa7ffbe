import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { crc32 } from "node:zlib";
import { EventStreamFramer, FramingError, decodeMessage } from "./framing";
import { encodeEvent, encodeStream } from "./testing/frames";

function frames(bytes: Buffer, cuts: number[]): Buffer[] {
  const framer = new EventStreamFramer();
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    framer.push(bytes.subarray(from, cut), (m) => out.push(Buffer.from(m)));
    from = cut;
  }
  assert.equal(framer.pendingBytes, 0);
  return out;
}

const STREAM = encodeStream({
  events: [
    { event: "messageStart", payload: { role: "assistant" } },
    { event: "contentBlockDelta", payload: { contentBlockIndex: 0, delta: { text: "Grüße 🌍" } } },
    { event: "messageStop", payload: { stopReason: "end_turn" } },
  ],
});

/** A message built by hand (independently of EventStreamCodec): prelude, CRCs via zlib. */
function handMessage(headers: Buffer, payload: Buffer): Buffer {
  const total = 16 + headers.length + payload.length;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const body = Buffer.concat([prelude, headers, payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

function h(name: string, type: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([Buffer.byteLength(name)]), Buffer.from(name), Buffer.from([type]), value]);
}
function lenPrefixed(b: Buffer): Buffer {
  const l = Buffer.alloc(2);
  l.writeUInt16BE(b.length, 0);
  return Buffer.concat([l, b]);
}

describe("event-stream framing", () => {
  it("C42 every split position (incl. inside preludes and UTF-8 characters) yields the same messages", () => {
    const whole = frames(STREAM, []);
    assert.equal(whole.length, 3);
    for (let cut = 1; cut < STREAM.length; cut++) assert.deepEqual(frames(STREAM, [cut]), whole, `cut ${cut}`);
    for (let a = 1; a < 14; a++) for (let b = a + 1; b < 30; b++) assert.deepEqual(frames(STREAM, [a, b]), whole, `cuts ${a},${b}`);
    assert.deepEqual(frames(STREAM, Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1)), whole, "byte by byte");
  });

  it("hands out messages inside one chunk without copying", () => {
    const framer = new EventStreamFramer();
    const seen: Uint8Array[] = [];
    framer.push(STREAM, (m) => seen.push(m));
    assert.equal(seen.length, 3);
    assert.equal(seen[0]?.buffer, STREAM.buffer);
  });

  it("rejects impossible prelude lengths at once (no unbounded buffering)", () => {
    const bad = Buffer.from([0, 0, 0, 5, 0, 0, 0, 0]);
    assert.throws(() => new EventStreamFramer().push(bad, () => undefined), FramingError);
    const framer = new EventStreamFramer();
    framer.push(Buffer.from([0x7f, 0xff]), () => undefined);
    assert.throws(() => framer.push(Buffer.from([0xff, 0xff]), () => undefined), FramingError);
  });

  it("C43 decodeMessage rejects a corrupted prelude CRC and a corrupted message CRC", () => {
    const good = Buffer.from(encodeEvent({ event: "messageStart", payload: { role: "assistant" } }));
    assert.equal(decodeMessage(good).headers[":event-type"], "messageStart");
    const prelude = Buffer.from(good);
    prelude[9] = (prelude[9] ?? 0) ^ 0xff;
    assert.throws(() => decodeMessage(prelude), /prelude checksum/);
    const payload = Buffer.from(good);
    payload[payload.length - 6] = (payload[payload.length - 6] ?? 0) ^ 1;
    assert.throws(() => decodeMessage(payload), /message checksum/);
  });

  it("C44 a hand-built message with header types 0–9 (string/bytes > 255 bytes) decodes", () => {
    const long = Buffer.from("ü".repeat(200)); // 400 bytes
    const int64 = Buffer.alloc(8);
    int64.writeBigInt64BE(-2n, 0);
    const headers = Buffer.concat([
      h("t", 0, Buffer.alloc(0)),
      h("f", 1, Buffer.alloc(0)),
      h("b", 2, Buffer.from([0xf9])),
      h("s", 3, Buffer.from([0xfb, 0x2e])),
      h("i", 4, Buffer.from([0x07, 0x5b, 0xcd, 0x15])),
      h("l", 5, int64),
      h("bytes", 6, lenPrefixed(Buffer.alloc(300, 0xab))),
      h(":event-type", 7, lenPrefixed(Buffer.from("contentBlockDelta"))),
      h("long-string", 7, lenPrefixed(long)),
      h("ts", 8, int64),
      h("u", 9, Buffer.from("0123456789abcdef0123456789abcdef", "hex")),
      h(":message-type", 7, lenPrefixed(Buffer.from("event"))),
    ]);
    const msg = handMessage(headers, Buffer.from('{"delta":{"text":"x"}}'));
    const decoded = decodeMessage(msg);
    assert.equal(decoded.headers[":event-type"], "contentBlockDelta");
    assert.equal(decoded.headers[":message-type"], "event");
    assert.equal(decoded.headers["long-string"], "ü".repeat(200));
    assert.equal(Buffer.from(decoded.payload).toString(), '{"delta":{"text":"x"}}');
    assert.deepEqual(frames(msg, [3, 11, 200]), [msg]);
  });

  it("an unknown header type is a decode error", () => {
    const msg = handMessage(h("x", 42, Buffer.alloc(0)), Buffer.from("{}"));
    assert.throws(() => decodeMessage(msg));
  });
});
