/**
 * Canonical `chat.completion.chunk` SSE (ending in `data: [DONE]`, with the final usage chunk) → Messages
 * API SSE: `message_start`, per block `content_block_start` / `content_block_delta` (`text_delta`,
 * `input_json_delta`) / `content_block_stop`, then `message_delta` (stop_reason, usage) and `message_stop`.
 * A canonical error event becomes `event: error`. Pure and byte-fed: chunk boundaries may fall anywhere.
 */
import { eventData } from "../../../sse/scanner";
import { SseTextTranslator } from "../../shared/sse-text-translator";
import { isRecord, parseJsonBytes, type Json } from "../../shared/json-bytes";
import { errorEventText, errorTypeForOpenAi } from "./errors";
import { messageId, messageUsage, stopFor, type MessageUsage, type Stop } from "./mapping";

const DONE = "[DONE]";

interface OpenBlock {
  readonly index: number;
  readonly tool: boolean;
}

function sse(type: string, data: Json): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

export class ChatToMessagesStream extends SseTextTranslator {
  private startedMessage = false;
  private finished = false;
  private nextBlock = 0;
  private open: OpenBlock | null = null;
  /** Canonical tool-call index → content block index. */
  private readonly tools = new Map<number, number>();
  private stop: Stop | null = null;
  private usage: MessageUsage | null = null;

  /** `model` names the message when the chunks do not. */
  constructor(private readonly model: string) {
    super();
  }

  protected complete(): void {
    if (this.finished) return;
    if (this.stop !== null) this.finish();
    else this.fail("api_error", "The upstream stream ended before the message was complete.");
  }

  protected event(raw: Uint8Array): void {
    if (this.finished) return;
    const data = eventData(raw);
    if (data === null || data.length === 0) return;
    if (data.length === DONE.length && Buffer.from(data.buffer, data.byteOffset, data.length).toString("latin1") === DONE) return this.finish();
    const json = parseJsonBytes(data);
    if (!isRecord(json)) return this.fail("api_error", "The upstream sent a malformed stream event.");
    if (isRecord(json["error"])) {
      const e = json["error"];
      return this.fail(errorTypeForOpenAi(e["type"], e["code"]), typeof e["message"] === "string" ? e["message"] : "upstream stream error");
    }
    this.begin(json);
    if (isRecord(json["usage"])) this.usage = messageUsage(json["usage"]);
    const choice: unknown = Array.isArray(json["choices"]) ? json["choices"][0] : undefined;
    if (!isRecord(choice)) return;
    const delta = choice["delta"];
    if (isRecord(delta)) {
      const text = delta["content"];
      if (typeof text === "string" && text !== "") this.text(text);
      if (Array.isArray(delta["tool_calls"])) for (const call of delta["tool_calls"] as unknown[]) this.toolCall(call);
    }
    const finish = choice["finish_reason"];
    if (typeof finish === "string") this.stop = stopFor(finish, choice["stop_reason"]);
  }

  private begin(chunk: Json): void {
    if (this.startedMessage) return;
    this.startedMessage = true;
    const model = typeof chunk["model"] === "string" && chunk["model"] !== "" ? chunk["model"] : this.model;
    const message = {
      id: messageId(chunk["id"]),
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    this.out += sse("message_start", { message });
  }

  private text(text: string): void {
    let block = this.open;
    if (block === null || block.tool) block = this.startBlock(false, { type: "text", text: "" });
    this.out += sse("content_block_delta", { index: block.index, delta: { type: "text_delta", text } });
  }

  private toolCall(call: unknown): void {
    if (!isRecord(call)) return;
    const k = typeof call["index"] === "number" ? call["index"] : 0;
    const fn = isRecord(call["function"]) ? call["function"] : {};
    let index = this.tools.get(k);
    if (index === undefined) {
      const block = { type: "tool_use", id: typeof call["id"] === "string" ? call["id"] : `toolu_${k}`, name: typeof fn["name"] === "string" ? fn["name"] : "", input: {} };
      index = this.startBlock(true, block).index;
      this.tools.set(k, index);
    }
    const args = fn["arguments"];
    if (typeof args === "string" && args !== "") {
      this.out += sse("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: args } });
    }
  }

  private startBlock(tool: boolean, contentBlock: Json): OpenBlock {
    this.closeBlock();
    const block = { index: this.nextBlock++, tool };
    this.open = block;
    this.out += sse("content_block_start", { index: block.index, content_block: contentBlock });
    return block;
  }

  private closeBlock(): void {
    if (this.open === null) return;
    this.out += sse("content_block_stop", { index: this.open.index });
    this.open = null;
  }

  private finish(): void {
    this.begin({});
    this.closeBlock();
    let stop = this.stop ?? stopFor("stop", null);
    if (stop.reason === "end_turn" && this.tools.size > 0) stop = { reason: "tool_use", sequence: null };
    const usage = this.usage ?? messageUsage(null);
    this.out += sse("message_delta", { delta: { stop_reason: stop.reason, stop_sequence: stop.sequence }, usage });
    this.out += sse("message_stop", {});
    this.finished = true;
  }

  /** `event: error`, then nothing more (the relay ends the response). */
  private fail(type: string, message: string): void {
    this.out += errorEventText(type, message);
    this.finished = true;
  }
}
