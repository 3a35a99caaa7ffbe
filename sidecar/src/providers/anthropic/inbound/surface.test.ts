import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROVIDERS } from "../../registry";
import { MESSAGES_SURFACE } from "./surface";

describe("messages surface over a canonical codec", () => {
  it("keeps the canonical answer's usage and finish reason beside the translated body", () => {
    const codec = MESSAGES_SURFACE.fromCanonical(PROVIDERS.openai);
    const completion = Buffer.from(
      JSON.stringify({
        id: "chatcmpl-1",
        object: "chat.completion",
        model: "gpt-4o",
        choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "length" }],
        usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
      }),
    );
    const parsed = codec.parseChatResponse(completion, { model: "claude-x" });
    assert.ok(parsed.ok);
    assert.equal(parsed.finishReason, "length");
    assert.deepEqual(parsed.usage, { promptTokens: 9, completionTokens: 2, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    const message = JSON.parse(Buffer.from(parsed.body).toString()) as Record<string, unknown>;
    assert.equal(message["type"], "message");
    assert.equal(message["stop_reason"], "max_tokens");
  });
});
