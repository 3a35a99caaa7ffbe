import { test } from "node:test";
import assert from "node:assert/strict";
import { contentText, countWords, makeUsage, promptTokens, splitWords, textTokens } from "./usage";

test("textTokens is ceil(utf8 bytes / 4)", () => {
  assert.equal(textTokens(""), 0);
  assert.equal(textTokens("abcd"), 1);
  assert.equal(textTokens("abcde"), 2);
  assert.equal(textTokens("é"), 1); // 2 bytes
  assert.equal(textTokens("日本語"), 3); // 9 bytes
});

test("contentText reads strings and text parts only", () => {
  assert.equal(contentText("hi"), "hi");
  assert.equal(
    contentText([
      { type: "text", text: "a" },
      { type: "image_url", image_url: { url: "https://x" } },
      { type: "text", text: "b" },
    ]),
    "a\nb",
  );
  assert.equal(contentText(null), "");
  assert.equal(contentText(42), "");
});

test("promptTokens adds 3 per message", () => {
  const n = promptTokens([
    { role: "system", content: "be brief" }, // 8 bytes → 2 + 3
    { role: "user", content: "hello world!" }, // 12 bytes → 3 + 3
    { role: "assistant", content: null }, // 0 + 3
  ]);
  assert.equal(n, 14);
});

test("words split on any whitespace", () => {
  assert.deepEqual(splitWords("  a\tb\n\nc  "), ["a", "b", "c"]);
  assert.equal(countWords(""), 0);
});

test("makeUsage totals and details", () => {
  assert.deepEqual(makeUsage(5, 2), {
    prompt_tokens: 5,
    completion_tokens: 2,
    total_tokens: 7,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  });
});
