import { test } from "node:test";
import assert from "node:assert/strict";
import { ProxyError } from "../errors/proxy-error";
import { MAX_JSON_DEPTH, nestingDepth, parseJsonBody } from "./json-body";

test("nesting depth ignores brackets inside strings and escaped quotes", () => {
  assert.equal(nestingDepth(Buffer.from('{"a":[1,{"b":"[[[\\"{{"}]}'), 100), 3);
  assert.equal(nestingDepth(Buffer.from("[]"), 100), 1);
  assert.equal(nestingDepth(Buffer.from('"x"'), 100), 0);
});

test("parseJsonBody: invalid UTF-8, too deep and unparsable bodies get their codes", () => {
  const bad = parseJsonBody(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
  assert.ok(bad instanceof ProxyError && bad.code === "invalid_json");
  const deep = parseJsonBody(Buffer.from("[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1)));
  assert.ok(deep instanceof ProxyError && deep.code === "invalid_request");
  const atLimit = parseJsonBody(Buffer.from("[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH)));
  assert.ok(!(atLimit instanceof ProxyError));
  const torn = parseJsonBody(Buffer.from('{"model":"x"'));
  assert.ok(torn instanceof ProxyError && torn.code === "invalid_json");
  assert.deepEqual(parseJsonBody(Buffer.from('{"ok":"é"}')), { json: { ok: "é" } });
});
