import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { SealedBoxError, open, seal } from "./sealed-box";

const MAGIC = Buffer.from("TST1");

test("seal/open round-trips and the ciphertext does not contain the plaintext", () => {
  const key = randomBytes(32);
  const secret = Buffer.from("sk-live-credential-value");
  const sealed = seal(key, MAGIC, secret);
  assert.ok(!sealed.includes(secret));
  assert.deepEqual(open(key, MAGIC, sealed), secret);
});

test("a wrong key, a flipped bit, a truncated file or another magic are rejected", () => {
  const key = randomBytes(32);
  const sealed = seal(key, MAGIC, Buffer.from("payload"));
  assert.throws(() => open(randomBytes(32), MAGIC, sealed), SealedBoxError);
  const flipped = Buffer.from(sealed);
  flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
  assert.throws(() => open(key, MAGIC, flipped), SealedBoxError);
  assert.throws(() => open(key, MAGIC, sealed.subarray(0, 10)), SealedBoxError);
  assert.throws(() => open(key, Buffer.from("OTH1"), sealed), SealedBoxError);
});
