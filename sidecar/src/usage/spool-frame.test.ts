import { test } from "node:test";
import assert from "node:assert/strict";
import { crc32, encodeFrame, scanFrames } from "./spool-frame";

const reader = (buf: Buffer) => (position: number, length: number) => buf.subarray(position, position + length);

test("crc32 matches the standard check value", () => {
  assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
});

test("frames round-trip; a torn tail at every cut point keeps exactly the intact prefix", () => {
  const payloads = ["a", "bb", "", "dddd"].map((s) => Buffer.from(s));
  const file = Buffer.concat(payloads.map(encodeFrame));
  const all = scanFrames(reader(file), file.length);
  assert.deepEqual(all.frames.map((f) => f.payload.toString()), ["a", "bb", "", "dddd"]);
  assert.equal(all.end, file.length);
  const ends = [0, 9, 19, 27, 39];
  for (let cut = 0; cut < file.length; cut++) {
    const torn = file.subarray(0, cut);
    const scanned = scanFrames(reader(torn), torn.length);
    const expected = ends.filter((e) => e <= cut).length - 1;
    assert.equal(scanned.frames.length, expected, `cut at ${cut}`);
    assert.equal(scanned.end, ends[expected]);
  }
});

test("a flipped payload bit or an absurd length stops the scan there", () => {
  const file = Buffer.concat([encodeFrame(Buffer.from("ok")), encodeFrame(Buffer.from("bad")), encodeFrame(Buffer.from("after"))]);
  const flipped = Buffer.from(file);
  flipped[10 + 8] = (flipped[10 + 8] ?? 0) ^ 0x40;
  assert.deepEqual(scanFrames(reader(flipped), flipped.length).frames.map((f) => f.payload.toString()), ["ok"]);
  const huge = Buffer.from(file);
  huge.writeUInt32BE(0xffffffff, 10);
  assert.equal(scanFrames(reader(huge), huge.length).end, 10);
});
