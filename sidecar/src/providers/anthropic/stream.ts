/**
 * Anthropic SSE (`event:` + `data:` lines, ends at `message_stop`) → OpenAI `chat.completion.chunk` SSE
 * ending with `data: [DONE]` (providers.md §3.6). Each upstream event is parsed once; each output chunk is
 * a precomputed prefix plus one JSON.stringify of the small delta object.
 */
import { eventData } from "../../sse/scanner";
import { SseTextTranslator } from "../shared/sse-text-translator";
import type { NormalizedUsage, StreamDecoder, StreamOptions } from "../types";
import { streamErrorEvent } from "../shared/stream-error";
import { openAiError } from "./errors";
import { isRecord, tryParse, utf8, type Json } from "./json";
import { completionId, createdAt, emptyCounts, finishReasonFor, mergeCounts, normalizeCounts, openAiUsage } from "./mapping";
import { JSON_TOOL_NAME } from "./tools";

export type AnthropicStreamOptions = StreamOptions;

// Block kinds by content-block index; a value >= 0 is the OpenAI tool-call index of a tool_use block.
const TEXT = -1;
const JSON_ANSWER = -2;
const THINKING = -3;
const SKIP = -4;

const DONE = "data: [DONE]\n\n";

export class AnthropicStreamDecoder extends SseTextTranslator implements StreamDecoder {
  finishReason: string | null = null;
  started = false;
  private readonly includeUsage: boolean;
  private readonly created: number;
  private readonly counts = emptyCounts();
  private readonly blocks = new Map<number, number>();
  private head: string | null = null;
  private nextTool = 0;
  private finished = false;

  constructor(options: AnthropicStreamOptions) {
    super();
    this.includeUsage = options.clientIncludeUsage;
    this.created = createdAt(options.now);
  }

  get usage(): NormalizedUsage | null {
    return this.head === null ? null : normalizeCounts(this.counts);
  }

  protected complete(): void {
    if (!this.finished) this.fail("server_error", "upstream_invalid_response", "anthropic: the stream ended before message_stop");
  }

  protected event(raw: Uint8Array): void {
    if (this.finished) return;
    const data = eventData(raw);
    if (data === null || data.length === 0) return; // comment or keep-alive
    const json = tryParse(utf8(data));
    if (!isRecord(json)) return this.fail("server_error", "upstream_invalid_response", "anthropic: malformed stream event");
    switch (json["type"]) {
      case "message_start":
        return this.messageStart(json["message"]);
      case "content_block_start":
        return this.blockStart(json["index"], json["content_block"]);
      case "content_block_delta":
        return this.blockDelta(json["index"], json["delta"]);
      case "message_delta":
        return this.messageDelta(json);
      case "message_stop":
        return this.messageStop();
      case "error": {
        const error = isRecord(json["error"]) ? json["error"] : {};
        const mapped = openAiError(String(error["type"] ?? "api_error"), 500);
        return this.fail(mapped.type, mapped.code, `anthropic: ${String(error["message"] ?? "stream error")}`);
      }
      default:
        return; // ping, content_block_stop, unknown future events
    }
  }

  private messageStart(message: unknown): void {
    if (this.head !== null) return;
    const m = isRecord(message) ? message : {};
    mergeCounts(this.counts, m["usage"]);
    this.open(m["id"], m["model"]);
    this.delta({ role: "assistant", content: "" });
  }

  /** Chunk prefix shared by every chunk of the response: id, created, model. */
  private open(id: unknown, model: unknown): string {
    const head = `{"id":${JSON.stringify(completionId(id))},"object":"chat.completion.chunk","created":${this.created},"model":${JSON.stringify(typeof model === "string" ? model : "unknown")}`;
    this.head = head;
    return head;
  }

  private blockStart(index: unknown, block: unknown): void {
    if (typeof index !== "number" || !isRecord(block)) return;
    const type = block["type"];
    if (type === "text") {
      this.blocks.set(index, TEXT);
      if (typeof block["text"] === "string" && block["text"] !== "") this.content(block["text"]);
    } else if (type === "thinking") {
      this.blocks.set(index, THINKING);
    } else if (type === "tool_use" && block["name"] === JSON_TOOL_NAME) {
      this.blocks.set(index, JSON_ANSWER);
    } else if (type === "tool_use") {
      const k = this.nextTool++;
      this.blocks.set(index, k);
      const call = { index: k, id: String(block["id"]), type: "function", function: { name: String(block["name"]), arguments: "" } };
      this.delta({ tool_calls: [call] });
    } else {
      this.blocks.set(index, SKIP); // server tools, redacted thinking, unknown blocks: not client-facing
    }
  }

  private blockDelta(index: unknown, delta: unknown): void {
    if (typeof index !== "number" || !isRecord(delta)) return;
    const kind = this.blocks.get(index) ?? TEXT;
    const type = delta["type"];
    if (type === "text_delta" && kind === TEXT && typeof delta["text"] === "string") {
      if (delta["text"] !== "") this.content(delta["text"]);
    } else if (type === "input_json_delta" && typeof delta["partial_json"] === "string" && delta["partial_json"] !== "") {
      if (kind >= 0) this.delta({ tool_calls: [{ index: kind, function: { arguments: delta["partial_json"] } }] });
      else if (kind === JSON_ANSWER) this.content(delta["partial_json"]);
    } else if (type === "thinking_delta" && kind === THINKING && typeof delta["thinking"] === "string") {
      if (delta["thinking"] !== "") this.delta({ reasoning_content: delta["thinking"] });
    }
    // signature_delta and citations_delta are not forwarded
  }

  private messageDelta(json: Json): void {
    mergeCounts(this.counts, json["usage"]);
    const delta = json["delta"];
    if (!isRecord(delta) || delta["stop_reason"] === undefined) return;
    const finish = finishReasonFor(delta["stop_reason"]);
    this.finishReason = finish === "tool_calls" && this.nextTool === 0 ? "stop" : finish;
  }

  private messageStop(): void {
    const head = this.head ?? this.open(undefined, undefined);
    const finish = this.finishReason ?? "stop";
    this.finishReason = finish;
    this.out += `data: ${head},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${finish}"}]${this.includeUsage ? ',"usage":null' : ""}}\n\n`;
    if (this.includeUsage) this.out += `data: ${head},"choices":[],"usage":${JSON.stringify(openAiUsage(normalizeCounts(this.counts)))}}\n\n`;
    this.out += DONE;
    this.finished = true;
  }

  private content(text: string): void {
    this.delta({ content: text });
  }

  private delta(delta: Json): void {
    const head = this.head ?? this.open(undefined, undefined);
    if (delta["role"] === undefined) this.started = true;
    this.out += `data: ${head},"choices":[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":null}]${this.includeUsage ? ',"usage":null' : ""}}\n\n`;
  }

  /** The shared mid-stream error convention (shared/stream-error.ts): one error event, then nothing. */
  private fail(type: string, code: string | null, message: string): void {
    this.out += streamErrorEvent({ message, type, code });
    this.finished = true;
  }
}
