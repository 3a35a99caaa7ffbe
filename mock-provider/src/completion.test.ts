import { test } from "node:test";
import assert from "node:assert/strict";
import { completionResponse, echoWords, planCompletion, type PlanInput } from "./completion";
import type { ChatRequest } from "./types";

function req(over: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: "mock-echo",
    messages: [{ role: "user", content: "hello big world" }],
    stream: false,
    includeUsage: false,
    maxTokens: undefined,
    n: 1,
    tools: [],
    toolChoice: undefined,
    ...over,
  };
}

function input(request: ChatRequest, extra: Partial<PlanInput> = {}): PlanInput {
  let n = 0;
  return { request, userText: "hello big world", id: "chatcmpl-mock-1", created: 1700000000, nextToolCallId: () => `call_mock_${++n}`, ...extra };
}

test("echo content and usage", () => {
  const plan = planCompletion(input(req()));
  const body = completionResponse(plan);
  assert.equal(body.object, "chat.completion");
  assert.equal(body.model, "mock-echo");
  assert.equal(body.choices[0]?.message.content, "echo: hello big world");
  assert.equal(body.choices[0]?.finish_reason, "stop");
  // "hello big world" = 15 bytes → 4 + 3 = 7; completion = 4 words
  assert.deepEqual(body.usage, {
    prompt_tokens: 7,
    completion_tokens: 4,
    total_tokens: 11,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  });
  assert.equal(body.system_fingerprint, "fp_sidegate_mock");
});

test("max_tokens truncates with finish_reason length", () => {
  const plan = planCompletion(input(req({ maxTokens: 2 })));
  assert.equal(plan.choices[0]?.content, "echo: hello");
  assert.equal(plan.choices[0]?.finishReason, "length");
  assert.equal(plan.usage.completion_tokens, 2);
  assert.equal(planCompletion(input(req({ maxTokens: 4 }))).choices[0]?.finishReason, "stop");
});

test("n choices multiply completion tokens", () => {
  const plan = planCompletion(input(req({ n: 3 })));
  assert.deepEqual(plan.choices.map((c) => c.index), [0, 1, 2]);
  assert.equal(plan.usage.completion_tokens, 12);
});

test("fixed word count repeats the echo", () => {
  assert.deepEqual(echoWords("a b", 5), ["echo:", "a", "b", "echo:", "a"]);
  assert.deepEqual(echoWords("", undefined), ["echo:"]);
});

test("tool calls", () => {
  const tools = [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } } } }];
  const plan = planCompletion(input(req({ tools, toolChoice: "required" })));
  const body = completionResponse(plan);
  const choice = body.choices[0];
  assert.ok(choice);
  assert.equal(choice.finish_reason, "tool_calls");
  assert.equal(choice.message.content, null);
  assert.deepEqual(choice.message.tool_calls, [
    { id: "call_mock_1", type: "function", function: { name: "get_weather", arguments: '{"city":"mock","days":1}' } },
  ]);
  // ceil(len("get_weather" + '{"city":"mock","days":1}') / 4) = ceil(35/4) = 9
  assert.equal(plan.usage.completion_tokens, 9);
});
