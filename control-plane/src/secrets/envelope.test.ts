import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { EnvelopeError, open, seal } from "./envelope";

const master = randomBytes(32);
const plaintext = Buffer.from(JSON.stringify({ api_key: "sk-live-very-secret-value-1234567890" }));

test("round trip", () => {
  const sealed = seal(master, "cred-1", plaintext);
  assert.deepEqual(open(master, "cred-1", sealed), plaintext);
  assert.equal(sealed.keyVersion, 1);
  assert.equal(sealed.wrappedKey.length, 32);
});

test("ciphertext and every stored field do not contain the plaintext", () => {
  const sealed = seal(master, "cred-1", plaintext);
  const stored = Buffer.concat([sealed.ciphertext, sealed.wrappedKey, sealed.wrapIv, sealed.wrapTag, sealed.dataIv, sealed.dataTag]);
  assert.equal(stored.includes(Buffer.from("sk-live-very-secret")), false);
  assert.equal(stored.includes(master), false);
});

test("two seals of the same plaintext differ (fresh data key and ivs)", () => {
  const a = seal(master, "cred-1", plaintext);
  const b = seal(master, "cred-1", plaintext);
  assert.notDeepEqual(a.ciphertext, b.ciphertext);
  assert.notDeepEqual(a.wrappedKey, b.wrappedKey);
});

test("tampering with any part throws", () => {
  const sealed = seal(master, "cred-1", plaintext);
  for (const field of ["ciphertext", "wrappedKey", "wrapTag", "dataTag", "dataIv", "wrapIv"] as const) {
    const copy = Buffer.from(sealed[field]);
    copy[0] = (copy[0] ?? 0) ^ 1;
    assert.throws(() => open(master, "cred-1", { ...sealed, [field]: copy }), EnvelopeError, field);
  }
});

test("wrong master key throws", () => {
  const sealed = seal(master, "cred-1", plaintext);
  assert.throws(() => open(randomBytes(32), "cred-1", sealed), EnvelopeError);
});

test("AAD binds the credential id", () => {
  const sealed = seal(master, "cred-1", plaintext);
  assert.throws(() => open(master, "cred-2", sealed), EnvelopeError);
});

test("a short master key is refused", () => {
  assert.throws(() => seal(Buffer.alloc(16), "x", plaintext), /32 bytes/);
});
