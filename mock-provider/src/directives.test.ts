import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDirectives } from "./directives";

test("text without directives is only whitespace-collapsed", () => {
  const p = parseDirectives("  hello   big\nworld ");
  assert.equal(p.text, "hello big world");
  assert.deepEqual(p.directives, { hang: false, garbage: false });
  assert.deepEqual(p.invalid, []);
});

test("directives are parsed and stripped", () => {
  const p = parseDirectives("hi [mock:latency=50] there [mock:chunk-delay=5][mock:words=10] [mock:stall-after=3]");
  assert.equal(p.text, "hi there");
  assert.equal(p.directives.latencyMs, 50);
  assert.equal(p.directives.chunkDelayMs, 5);
  assert.equal(p.directives.words, 10);
  assert.equal(p.directives.stallAfter, 3);
});

test("error directive with and without retry-after", () => {
  assert.deepEqual(parseDirectives("[mock:error=500]").directives.error, { status: 500 });
  assert.deepEqual(parseDirectives("[mock:error=429:retry-after=2]").directives.error, {
    status: 429,
    retryAfter: "2",
  });
  assert.deepEqual(parseDirectives("[mock:error=429]").directives.error, { status: 429, retryAfter: "1" });
  assert.deepEqual(parseDirectives("[mock:error=503]").directives.error, { status: 503, retryAfter: "1" });
});

test("flag directives", () => {
  const p = parseDirectives("[mock:hang] [mock:garbage] [mock:close-mid-stream]");
  assert.equal(p.directives.hang, true);
  assert.equal(p.directives.garbage, true);
  assert.equal(p.directives.closeMidStream, 3);
  assert.equal(parseDirectives("[mock:close-mid-stream=7]").directives.closeMidStream, 7);
  assert.equal(p.text, "");
});

test("invalid directives are reported, not applied", () => {
  const p = parseDirectives("x [mock:error=200] [mock:latency=abc] [mock:bogus] [mock:hang=1] [mock:latency=5:x=1]");
  assert.deepEqual(p.invalid, [
    "[mock:error=200]",
    "[mock:latency=abc]",
    "[mock:bogus]",
    "[mock:hang=1]",
    "[mock:latency=5:x=1]",
  ]);
  assert.equal(p.directives.error, undefined);
  assert.equal(p.directives.hang, false);
  assert.equal(p.text, "x");
});
