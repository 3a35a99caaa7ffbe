import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStreamFrames, DONE_FRAME, parseSse } from "./chunks";
import { planCompletion } from "./completion";
import type { ChatRequest } from "./types";

interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: Array<{ index: number; delta: { role?: string; content?: string | null; tool_calls?: ToolDelta[] }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}
interface ToolDelta {
  index: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

function plan(over: Partial<ChatRequest> = {}, userText = "hello big world") {
  let n = 0;
  const request: ChatRequest = {
    model: "m",
    messages: [{ role: "user", content: userText }],
    stream: true,
    includeUsage: false,
    maxTokens: undefined,
    n: 1,
    tools: [],
    toolChoice: undefined,
    ...over,
  };
  return planCompletion({ request, userText, id: "chatcmpl-mock-9", created: 1, nextToolCallId: () => `call_mock_${++n}` });
}

function chunks(frames: string[]): Chunk[] {
  return parseSse(frames.join("")).events as Chunk[];
}

test("text stream: role chunk, words, finish, DONE; no usage field without include_usage", () => {
  const { frames, usageFrameIndex } = buildStreamFrames(plan(), false);
  assert.equal(usageFrameIndex, -1);
  assert.equal(frames.at(-1), DONE_FRAME);
  for (const f of frames) assert.match(f, /^data: .*\n\n$/s);
  const cs = chunks(frames);
  assert.equal(cs.length, 1 + 4 + 1);
  assert.deepEqual(cs[0]?.choices[0]?.delta, { role: "assistant", content: "", refusal: null });
  assert.equal(cs.map((c) => c.choices[0]?.delta.content ?? "").join(""), "echo: hello big world");
  assert.equal(cs[1]?.choices[0]?.delta.content, "echo: ");
  assert.equal(cs.at(-1)?.choices[0]?.finish_reason, "stop");
  for (const c of cs) {
    assert.equal(c.object, "chat.completion.chunk");
    assert.equal(c.id, "chatcmpl-mock-9");
    assert.equal("usage" in c, false);
  }
});

test("include_usage: usage null everywhere, then choices [] usage chunk before DONE", () => {
  const p = plan({ includeUsage: true });
  const { frames, usageFrameIndex } = buildStreamFrames(p, true);
  assert.equal(usageFrameIndex, frames.length - 2);
  const cs = chunks(frames);
  const last = cs.at(-1);
  assert.deepEqual(last?.choices, []);
  assert.deepEqual(last?.usage, p.usage);
  for (const c of cs.slice(0, -1)) assert.equal(c.usage, null);
});

test("n=2 interleaves choices and each reconstructs the content", () => {
  const cs = chunks(buildStreamFrames(plan({ n: 2 }), false).frames);
  for (const idx of [0, 1]) {
    const mine = cs.filter((c) => c.choices[0]?.index === idx);
    assert.equal(mine.map((c) => c.choices[0]?.delta.content ?? "").join(""), "echo: hello big world");
  }
});

test("tool-call deltas carry index and split arguments", () => {
  const tools = [
    { name: "a", parameters: { type: "object", properties: { city: { type: "string" }, n: { type: "number" } } } },
    { name: "b", parameters: {} },
  ];
  const p = plan({ tools }, "call a and call b");
  const cs = chunks(buildStreamFrames(p, false).frames);
  const deltas = cs.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
  const byIndex = new Map<number, { id?: string; name?: string; args: string }>();
  for (const d of deltas) {
    const cur = byIndex.get(d.index) ?? { args: "" };
    if (d.id) cur.id = d.id;
    if (d.function?.name) cur.name = d.function.name;
    cur.args += d.function?.arguments ?? "";
    byIndex.set(d.index, cur);
  }
  assert.deepEqual(byIndex.get(0), { id: "call_mock_1", name: "a", args: '{"city":"mock","n":1}' });
  assert.deepEqual(byIndex.get(1), { id: "call_mock_2", name: "b", args: "{}" });
  assert.ok(deltas.filter((d) => d.index === 0).length >= 3, "arguments split in pieces");
  assert.equal(cs.at(-1)?.choices[0]?.finish_reason, "tool_calls");
});
