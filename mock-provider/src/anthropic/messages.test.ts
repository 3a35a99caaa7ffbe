import assert from "node:assert/strict";
import { test } from "node:test";
import { messageBody, planMessages, type Plan } from "./messages";

test("text blocks marked cache_control count as cache writes on first sight and cache reads after", () => {
  const seen = new Set<string>();
  const cache = (key: string): boolean => seen.has(key) || (seen.add(key), false);
  const body = {
    model: "m",
    max_tokens: 50,
    system: [{ type: "text", text: "a long shared preamble here", cache_control: { type: "ephemeral" } }],
    messages: [{ role: "user", content: "hello there" }],
  };
  const usage = (): Record<string, number> => messageBody(planMessages(body, "msg_1", () => "t", cache) as Plan)["usage"] as Record<string, number>;
  const uncached = messageBody(planMessages({ ...body, system: "a long shared preamble here" }, "msg_0", () => "t") as Plan)["usage"] as Record<string, number>;
  const first = usage();
  const second = usage();
  assert.ok((first["cache_creation_input_tokens"] ?? 0) > 0);
  assert.equal(first["cache_read_input_tokens"], 0);
  assert.equal(second["cache_creation_input_tokens"], 0);
  assert.equal(second["cache_read_input_tokens"], first["cache_creation_input_tokens"]);
  assert.equal((first["input_tokens"] ?? 0) + (first["cache_creation_input_tokens"] ?? 0), uncached["input_tokens"], "the cached part moves out of input_tokens");
});
