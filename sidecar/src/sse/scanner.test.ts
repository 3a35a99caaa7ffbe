import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SseScanner, eventData } from "./scanner";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

function scan(chunks: readonly Uint8Array[]): { events: string[]; rest: string } {
  const scanner = new SseScanner();
  const events: string[] = [];
  for (const c of chunks) scanner.push(c, (e) => events.push(dec(e)));
  return { events, rest: dec(scanner.finish()) };
}

const STREAM =
  'data: {"a":1}\n\n' +
  ": keep-alive\r\n\r\n" +
  'event: x\ndata: {"b":\ndata: 2}\n\n' +
  "data: é✓\r\n\r\n" +
  "data: [DONE]\n\n";
const EXPECTED = ['data: {"a":1}\n\n', ": keep-alive\r\n\r\n", 'event: x\ndata: {"b":\ndata: 2}\n\n', "data: é✓\r\n\r\n", "data: [DONE]\n\n"];

describe("SseScanner", () => {
  it("frames LF and CRLF events in one chunk", () => {
    assert.deepEqual(scan([enc(STREAM)]), { events: EXPECTED, rest: "" });
  });

  it("frames identically for a split at every byte offset", () => {
    const bytes = enc(STREAM);
    for (let i = 0; i <= bytes.length; i++) {
      const got = scan([bytes.subarray(0, i), bytes.subarray(i)]);
      assert.deepEqual(got.events, EXPECTED, `split at ${i}`);
    }
  });

  it("frames identically for splits at every pair of offsets", () => {
    const bytes = enc(STREAM);
    for (let i = 0; i <= bytes.length; i += 3) {
      for (let j = i; j <= bytes.length; j++) {
        const got = scan([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        assert.deepEqual(got.events, EXPECTED, `split at ${i},${j}`);
      }
    }
  });

  it("frames identically when fed one byte at a time", () => {
    const bytes = enc(STREAM);
    const chunks = Array.from(bytes, (_b, i) => bytes.subarray(i, i + 1));
    assert.deepEqual(scan(chunks).events, EXPECTED);
  });

  it("returns an unterminated tail from finish()", () => {
    assert.deepEqual(scan([enc("data: 1\n\ndata: 2\n")]), { events: ["data: 1\n\n"], rest: "data: 2\n" });
  });

  it("hands out zero-copy views for events inside one chunk", () => {
    const chunk = enc("data: 1\n\ndata: 2\n\n");
    const seen: Uint8Array[] = [];
    new SseScanner().push(chunk, (e) => seen.push(e));
    assert.equal(seen.length, 2);
    assert.equal(seen[0]?.buffer, chunk.buffer);
  });
});

describe("eventData", () => {
  it("joins multi-line data with LF and strips one leading space", () => {
    assert.equal(dec(eventData(enc('event: x\ndata: {"b":\ndata:2}\n\n')) as Uint8Array), '{"b":\n2}');
  });
  it("handles CRLF and empty data", () => {
    assert.equal(dec(eventData(enc("data: abc\r\n\r\n")) as Uint8Array), "abc");
    assert.equal(dec(eventData(enc("data\n\n")) as Uint8Array), "");
  });
  it("returns null for comments and events without data", () => {
    assert.equal(eventData(enc(": ping\n\n")), null);
    assert.equal(eventData(enc("event: x\nid: 3\n\n")), null);
    assert.equal(eventData(enc("database: no\n\n")), null);
  });
});
