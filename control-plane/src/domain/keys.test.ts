import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { IMPORTED_SECRET_PATTERN, generateKeySecret, hashKeySecret, keyStatus, maskKeySecret } from "./keys";

test("secrets are sk-sg- + 43 base64url chars and unique", () => {
  const s = generateKeySecret();
  assert.match(s, /^sk-sg-[A-Za-z0-9_-]{43}$/);
  assert.notEqual(s, generateKeySecret());
  assert.match(s, IMPORTED_SECRET_PATTERN);
});

test("hash is raw SHA-256 of the UTF-8 secret", () => {
  const h = hashKeySecret("sk-sg-abc");
  assert.equal(h.length, 32);
  assert.deepEqual(h, createHash("sha256").update("sk-sg-abc").digest());
});

test("mask keeps only the last 4 characters", () => {
  assert.equal(maskKeySecret("sk-sg-AAAAAAAAAAAAAAAAAAAAAab12"), "sk-sg-…ab12");
});

test("status: revoked wins, then expired, else active", () => {
  assert.equal(keyStatus({ revokedAtMs: null, expiresAtMs: null }, 1000), "active");
  assert.equal(keyStatus({ revokedAtMs: null, expiresAtMs: 2000 }, 1000), "active");
  assert.equal(keyStatus({ revokedAtMs: null, expiresAtMs: 1000 }, 1000), "expired");
  assert.equal(keyStatus({ revokedAtMs: 5, expiresAtMs: 1000 }, 2000), "revoked");
});
