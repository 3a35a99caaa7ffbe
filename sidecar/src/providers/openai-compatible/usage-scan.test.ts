import { test } from "node:test";
import assert from "node:assert/strict";
import { usageFromOpenAi } from "./usage";
import { scanOpenAiUsage } from "./usage-scan";

/** What the scanner must agree with whenever it answers. */
function reference(text: string): unknown {
  return usageFromOpenAi(JSON.parse(text));
}

function scan(text: string): unknown {
  const buf = Buffer.from(text);
  return scanOpenAiUsage(buf, 0, buf.length);
}

const ANSWERED = [
  '{"prompt_tokens":28,"completion_tokens":20,"total_tokens":48,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}',
  '{"prompt_tokens":1200,"completion_tokens":340,"total_tokens":1540,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":128,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}',
  ' { "prompt_tokens" : 5 ,\n\t"completion_tokens": 7 , "prompt_tokens_details" : { "cached_tokens" : 2, "cache_write_tokens": 3 } } ',
  '{"prompt_tokens":10,"completion_tokens":3,"queue_time":0.0237,"prompt_time":1.2e-3,"completion_time":-0.5,"total_time":0}',
  '{"prompt_tokens":10,"prompt_tokens":11,"completion_tokens":2}',
  '{"prompt_tokens_details":{"cached_tokens":4},"prompt_tokens_details":null,"prompt_tokens":9}',
  '{"prompt_tokens_details":{"cached_tokens":4},"prompt_tokens_details":{"cache_write_tokens":6}}',
  '{"prompt_tokens":{"a":5},"completion_tokens":"20","completion_tokens_details":7}',
  '{"prompt_tokens":12.9,"completion_tokens":-3,"cost":0.00042,"is_byok":false,"model":"x-1","tier":null,"flag":true}',
  '{"prompt_tokens":1e400,"completion_tokens":123456789012345678,"reasoning_tokens":5}',
  '{"prompt_tokens":0,"completion_tokens":0}',
  "{}",
  '{"server_tool_use":{"web_search_requests":{"count":1}},"prompt_tokens":3}',
  '{"modèle":"é","prompt_tokens":3}',
];

test("the scanner returns exactly what JSON.parse + usageFromOpenAi return, on every shape it reads", () => {
  for (const text of ANSWERED) {
    const got = scan(text);
    assert.notEqual(got, undefined, `expected an answer for ${text}`);
    assert.deepEqual(got, reference(text), text);
  }
});

test("outside its subset it answers undefined (the caller parses with JSON.parse): arrays, escapes, bad syntax, trailing bytes", () => {
  for (const text of [
    '{"prompt_tokens":3,"list":[1,2]}',
    '{"prompt_tokens":3,"note":"a\\"b"}',
    '{"prompt\\u005ftokens":3}',
    '{"prompt_tokens":3,}',
    '{"prompt_tokens":03}',
    '{"prompt_tokens":3.}',
    '{"prompt_tokens":-}',
    '{"prompt_tokens":3e}',
    '{"prompt_tokens":3',
    '{"prompt_tokens" 3}',
    '{"prompt_tokens":3} x',
    '{"a":{"b":{"c":{"d":1}}}}',
    '{"prompt_tokens":tru}',
    "",
    "[]",
  ]) {
    assert.equal(scan(text), undefined, text);
  }
});

test("a slice of a larger buffer is read within its bounds only", () => {
  const whole = Buffer.from('{"id":"x","usage":{"prompt_tokens":4,"completion_tokens":6},"z":1}');
  const start = whole.indexOf("{", 1);
  const end = whole.indexOf("}", start) + 1;
  assert.deepEqual(scanOpenAiUsage(whole, start, end), reference('{"prompt_tokens":4,"completion_tokens":6}'));
  assert.equal(scanOpenAiUsage(whole, start, end - 1), undefined);
});

test("random usage objects (numbers of every form, nesting, duplicates, whitespace): the scanner agrees with JSON.parse", () => {
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const keys = ["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details", "cached_tokens", "cache_write_tokens", "reasoning_tokens", "x"];
  const ws = (): string => [" ", "", "\n", "\t", ""][rnd(5)] as string;
  const scalar = (): string => [String(rnd(100000)), "0", `${rnd(50)}.${rnd(99)}`, `-${rnd(9)}`, `${rnd(9)}e${rnd(3)}`, "null", "true", "false", '"s"'][rnd(9)] as string;
  const value = (depth: number): string => (depth < 3 && rnd(4) === 0 ? object(depth + 1) : scalar());
  const object = (depth: number): string => {
    const members = Array.from({ length: rnd(6) }, () => `${ws()}"${keys[rnd(keys.length)]}"${ws()}:${ws()}${value(depth)}${ws()}`);
    return `{${members.join(",")}${members.length === 0 ? ws() : ""}}`;
  };
  let answered = 0;
  for (let i = 0; i < 3000; i++) {
    const text = object(1);
    const got = scan(text);
    if (got === undefined) continue;
    answered++;
    assert.deepEqual(got, reference(text), text);
  }
  assert.ok(answered > 2500, `answered ${answered} of 3000`);
});
