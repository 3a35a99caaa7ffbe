import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OpenAiStreamDecoder } from "./stream";

const chunk = (o: object): string => `data: ${JSON.stringify(o)}\n\n`;
const BODY =
  chunk({ id: "c", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }], usage: null }) +
  chunk({ id: "c", choices: [{ index: 0, delta: { content: "Hi \"usage\": {x}" }, finish_reason: null }], usage: null }) +
  chunk({ id: "c", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: null });
const USAGE_CHUNK = chunk({
  id: "c",
  choices: [],
  usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } },
});
const DONE = "data: [DONE]\n\n";
const FULL = BODY + USAGE_CHUNK + DONE;

function run(includeUsage: boolean, split: number[]): { out: string; decoder: OpenAiStreamDecoder; pushes: Array<Uint8Array | null> } {
  const bytes = Buffer.from(FULL);
  const decoder = new OpenAiStreamDecoder({ clientIncludeUsage: includeUsage });
  const points = [0, ...split, bytes.length];
  const pushes: Array<Uint8Array | null> = [];
  let out = "";
  for (let i = 0; i + 1 < points.length; i++) {
    const got = decoder.push(bytes.subarray(points[i], points[i + 1]));
    pushes.push(got);
    if (got !== null) out += Buffer.from(got).toString();
  }
  const tail = decoder.end();
  if (tail !== null) out += Buffer.from(tail).toString();
  return { out, decoder, pushes };
}

describe("OpenAiStreamDecoder", () => {
  it("passes bytes through unchanged (same buffers) and reads usage when the client asked for it", () => {
    const { out, decoder } = run(true, [30, 200]);
    assert.equal(out, FULL);
    assert.deepEqual(decoder.usage, { promptTokens: 12, completionTokens: 5, cachedTokens: 4, cacheWriteTokens: 0, reasoningTokens: 2 });
    assert.equal(decoder.finishReason, "stop");
    assert.equal(decoder.started, true);
  });

  it("strips the usage-only chunk when the client did not ask, at every split offset", () => {
    const length = Buffer.byteLength(FULL);
    for (let i = 0; i <= length; i++) {
      const { out, decoder } = run(false, [i]);
      assert.equal(out, BODY + DONE, `split at ${i}`);
      assert.equal(decoder.usage?.promptTokens, 12, `split at ${i}`);
    }
  });

  it("forwards a chunk made of whole events as the same buffer when nothing is stripped", () => {
    const bytes = Buffer.from(BODY);
    const decoder = new OpenAiStreamDecoder({ clientIncludeUsage: false });
    assert.equal(decoder.push(bytes), bytes);
  });

  it("does not mistake escaped \"usage\" in content for the usage key", () => {
    const decoder = new OpenAiStreamDecoder({ clientIncludeUsage: false });
    decoder.push(Buffer.from(BODY));
    assert.equal(decoder.usage, null);
  });

  it("keeps an unterminated trailing event on end()", () => {
    const decoder = new OpenAiStreamDecoder({ clientIncludeUsage: false });
    assert.equal(decoder.push(Buffer.from("data: [DONE]")), null);
    assert.equal(Buffer.from(decoder.end() as Uint8Array).toString(), "data: [DONE]");
  });
});
