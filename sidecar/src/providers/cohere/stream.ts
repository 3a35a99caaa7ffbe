import { SseScanner, eventData } from "../../sse/scanner";
import type { NormalizedUsage, StreamDecoder, StreamOptions } from "../types";
import { isObject, parseJsonBytes, SSE_DONE } from "../shared/json-bytes";
import { streamErrorEvent, truncatedStreamEvent } from "../shared/stream-error";
import { openAiUsage } from "../shared/openai-usage";
import { cohereFinish, cohereUsage } from "./finish";
import { chatId, createdAt, FALLBACK_MODEL } from "./response";

type Json = Record<string, unknown>;

/** Request time (for `created`) and the model name to report, when the pipeline passes them. */
export type CohereStreamOptions = StreamOptions;

/** `delta.message` of a Cohere stream event. */
function messageOf(event: Json): Json {
  const delta = isObject(event["delta"]) ? event["delta"] : {};
  return isObject(delta["message"]) ? delta["message"] : {};
}

/**
 * Cohere v2 SSE (§6.4) → OpenAI chunks. Each event is parsed once and dispatched on its JSON `type` (the
 * `event:` lines are ignored); each output chunk is one JSON.stringify. Tool calls (a single object per
 * event) get OpenAI indices in order of first appearance of Cohere's `index`. `message-end` yields the finish
 * chunk, the usage chunk when the client asked, and `[DONE]`; an error in it becomes an OpenAI error event.
 */
export class CohereStreamDecoder implements StreamDecoder {
  usage: NormalizedUsage | null = null;
  finishReason: string | null = null;
  started = false;
  private readonly scanner = new SseScanner();
  private readonly includeUsage: boolean;
  private readonly model: string;
  private readonly created: number;
  private id = chatId(undefined);
  private readonly toolIndex = new Map<unknown, number>();
  private sawToolCall = false;
  private done = false;
  private out: string[] = [];
  private readonly onEvent = (event: Uint8Array): void => this.handle(event);

  constructor(options: CohereStreamOptions) {
    this.includeUsage = options.clientIncludeUsage;
    this.model = options.model || FALLBACK_MODEL;
    this.created = createdAt(options.now);
  }

  push(chunk: Uint8Array): Uint8Array | null {
    this.out = [];
    this.scanner.push(chunk, this.onEvent);
    return this.flush();
  }

  end(): Uint8Array | null {
    this.out = [];
    const rest = this.scanner.finish();
    if (rest.length > 0) this.handle(rest);
    if (!this.done) {
      this.done = true;
      this.out.push(truncatedStreamEvent("cohere", "message-end"));
    }
    return this.flush();
  }

  private flush(): Uint8Array | null {
    return this.out.length === 0 ? null : Buffer.from(this.out.join(""));
  }

  private handle(raw: Uint8Array): void {
    if (this.done) return;
    const data = eventData(raw);
    if (data === null || data.length === 0) return;
    const event = parseJsonBytes(data);
    if (!isObject(event)) return;
    const m = messageOf(event);
    switch (event["type"]) {
      case "message-start":
        if (typeof event["id"] === "string") this.id = chatId(event["id"]);
        this.started = true;
        return this.chunk({ role: "assistant", content: "" }, null);
      case "content-start":
      case "content-delta":
        return this.content(m);
      case "tool-call-start":
      case "tool-call-delta":
        return this.toolCall(event, m);
      case "message-end":
        return this.messageEnd(event);
      default:
        return; // content-end, tool-plan-delta, tool-call-end, citation-*, debug
    }
  }

  private content(m: Json): void {
    const c = isObject(m["content"]) ? m["content"] : {};
    if (typeof c["text"] === "string" && c["text"] !== "") this.chunk({ content: c["text"] }, null);
    else if (typeof c["thinking"] === "string" && c["thinking"] !== "") this.chunk({ reasoning_content: c["thinking"] }, null);
  }

  private toolCall(event: Json, m: Json): void {
    const call = isObject(m["tool_calls"]) ? m["tool_calls"] : {};
    const fn = isObject(call["function"]) ? call["function"] : {};
    const args = typeof fn["arguments"] === "string" ? fn["arguments"] : "";
    let index = this.toolIndex.get(event["index"]);
    if (event["type"] === "tool-call-start" || index === undefined) {
      index ??= this.toolIndex.size;
      this.toolIndex.set(event["index"], index);
      this.sawToolCall = true;
      const head = { index, id: String(call["id"] ?? ""), type: "function", function: { name: String(fn["name"] ?? ""), arguments: args } };
      return this.chunk({ tool_calls: [head] }, null);
    }
    if (args !== "") this.chunk({ tool_calls: [{ index, function: { arguments: args } }] }, null);
  }

  private messageEnd(event: Json): void {
    this.done = true;
    const delta = isObject(event["delta"]) ? event["delta"] : {};
    this.usage = cohereUsage(delta["usage"]) ?? this.usage;
    const error = delta["error"];
    if (typeof error === "string" && error !== "") {
      this.out.push(streamErrorEvent({ message: error, type: "server_error", code: "upstream_error" }));
      return;
    }
    const reason = delta["finish_reason"];
    this.finishReason = this.sawToolCall && reason === "COMPLETE" ? "tool_calls" : cohereFinish(reason);
    this.chunk({}, this.finishReason);
    if (this.includeUsage && this.usage !== null) {
      this.out.push(`data: ${JSON.stringify({ id: this.id, object: "chat.completion.chunk", created: this.created, model: this.model, choices: [], usage: openAiUsage(this.usage) })}\n\n`);
    }
    this.out.push(SSE_DONE);
  }

  private chunk(delta: Json, finish: string | null): void {
    const c: Json = { id: this.id, object: "chat.completion.chunk", created: this.created, model: this.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
    if (this.includeUsage) c["usage"] = null;
    this.out.push(`data: ${JSON.stringify(c)}\n\n`);
  }
}
