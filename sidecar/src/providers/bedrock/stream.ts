/**
 * ConverseStream (binary event stream) → OpenAI `chat.completion.chunk` SSE.
 *
 * messageStart → role chunk; contentBlockStart{toolUse} → tool call opened at the next OpenAI index (state is
 * keyed by contentBlockIndex, never by arrival order); contentBlockDelta text → content, toolUse.input →
 * argument fragments, reasoningContent.text → ext reasoning_content; messageStop → finish chunk; metadata →
 * usage (chunk only when the client asked) then [DONE]. Exception/error messages and framing/CRC failures →
 * one OpenAI error event, then the stream ends (no [DONE]), and the rest of the upstream bytes are ignored.
 */
import type { NormalizedUsage, StreamDecoder, StreamOptions } from "../types";
import { streamErrorEvent, toStreamErrorObject } from "../shared/stream-error";
import { ChunkWriter, DONE_FRAME } from "./chunks";
import { errorObject, ruleFor } from "./errors";
import { decodeMessage, EventStreamFramer, type DecodedMessage } from "./framing";
import { isRecord, parseJsonBytes, type Json } from "./json";
import { completionId, createdOf, finishReason, RESPONSE_MODEL, usageFromConverse } from "./mapping";
import { JSON_TOOL } from "./tools";

/** Per content block: the OpenAI tool-call index it feeds, or "json" for the forced JSON tool. */
type BlockTarget = number | "json";

export class BedrockStreamDecoder implements StreamDecoder {
  usage: NormalizedUsage | null = null;
  finishReason: string | null = null;
  started = false;
  private readonly framer = new EventStreamFramer();
  private writer: ChunkWriter | null = null;
  private out: string[] = [];
  private closed = false;
  private roleSent = false;
  private readonly blocks = new Map<number, BlockTarget>();
  private nextTool = 0;
  private readonly onMessage = (message: Uint8Array): void => this.handle(message);

  constructor(private readonly options: StreamOptions) {}

  push(chunk: Uint8Array): Uint8Array | null {
    if (this.closed) return null;
    try {
      this.framer.push(chunk, this.onMessage);
    } catch (err) {
      this.fail("", err instanceof Error ? err.message : String(err));
    }
    return this.flush();
  }

  end(): Uint8Array | null {
    if (!this.closed) {
      if (this.framer.pendingBytes > 0) this.fail("", "the event stream ended inside a message");
      else this.finish();
    }
    return this.flush();
  }

  private flush(): Uint8Array | null {
    if (this.out.length === 0) return null;
    const bytes = Buffer.from(this.out.length === 1 ? (this.out[0] as string) : this.out.join(""));
    this.out = [];
    return bytes;
  }

  private handle(raw: Uint8Array): void {
    if (this.closed) return;
    this.writer ??= new ChunkWriter(completionId(raw), createdOf(this.options.now), this.options.model || RESPONSE_MODEL, this.options.clientIncludeUsage);
    let message: DecodedMessage;
    try {
      message = decodeMessage(raw);
    } catch (err) {
      return this.fail("", `invalid event-stream message: ${err instanceof Error ? err.message : String(err)}`);
    }
    const kind = message.headers[":message-type"];
    const payload = parseJsonBytes(message.payload);
    if (kind === "exception") {
      const text = isRecord(payload) && typeof payload["message"] === "string" ? payload["message"] : "stream exception";
      return this.fail(message.headers[":exception-type"] ?? "", text);
    }
    if (kind === "error") return this.fail(message.headers[":error-code"] ?? "", message.headers[":error-message"] ?? "stream error");
    if (kind !== "event" || !isRecord(payload)) return;
    this.event(message.headers[":event-type"] ?? "", payload);
  }

  private event(type: string, p: Json): void {
    switch (type) {
      case "messageStart":
        return this.role();
      case "contentBlockStart":
        return this.blockStart(p);
      case "contentBlockDelta":
        return this.blockDelta(p);
      case "messageStop": {
        let finish = finishReason(p["stopReason"]);
        if (finish === "tool_calls" && this.nextTool === 0) finish = "stop"; // only the forced JSON tool ran
        this.finishReason = finish;
        this.role();
        return this.emit({}, finish);
      }
      case "metadata": {
        const usage = usageFromConverse(p["usage"]);
        if (usage !== null) {
          this.usage = usage;
          this.out.push((this.writer as ChunkWriter).usage(usage));
        }
        return this.finish();
      }
      default:
        return; // contentBlockStop and unknown events carry nothing for the client
    }
  }

  private blockStart(p: Json): void {
    const start = p["start"];
    const use = isRecord(start) ? start["toolUse"] : undefined;
    const index = p["contentBlockIndex"];
    if (!isRecord(use) || typeof index !== "number") return;
    this.started = true;
    this.role();
    if (use["name"] === JSON_TOOL) {
      this.blocks.set(index, "json");
      return;
    }
    const k = this.nextTool++;
    this.blocks.set(index, k);
    const call = { index: k, id: String(use["toolUseId"] ?? ""), type: "function", function: { name: String(use["name"] ?? ""), arguments: "" } };
    this.emit({ tool_calls: [call] });
  }

  private blockDelta(p: Json): void {
    const delta = p["delta"];
    if (!isRecord(delta)) return;
    const text = delta["text"];
    if (typeof text === "string") return text === "" ? undefined : this.content({ content: text });
    const use = delta["toolUse"];
    if (isRecord(use) && typeof use["input"] === "string" && use["input"] !== "") {
      const target = typeof p["contentBlockIndex"] === "number" ? this.blocks.get(p["contentBlockIndex"]) : undefined;
      if (target === "json") return this.content({ content: use["input"] });
      if (target !== undefined) return this.content({ tool_calls: [{ index: target, function: { arguments: use["input"] } }] });
      return; // argument fragments of a block that never opened a tool call
    }
    const reasoning = delta["reasoningContent"];
    if (isRecord(reasoning) && typeof reasoning["text"] === "string" && reasoning["text"] !== "") {
      this.content({ reasoning_content: reasoning["text"] });
    }
  }

  private content(delta: Json): void {
    this.started = true;
    this.role();
    this.emit(delta);
  }

  private role(): void {
    if (this.roleSent) return;
    this.roleSent = true;
    this.emit({ role: "assistant", content: "" });
  }

  private emit(delta: Json, finish: string | null = null): void {
    this.out.push((this.writer as ChunkWriter).delta(delta, finish));
  }

  /** An OpenAI error event for an exception (or a framing failure, name ""), then nothing (shared/stream-error.ts). */
  private fail(name: string, message: string): void {
    const rule = name === "" ? { status: 502, type: "server_error", code: "upstream_invalid_response" } : ruleFor(name, 500);
    this.out.push(streamErrorEvent(toStreamErrorObject(errorObject(name, message, rule))));
    this.closed = true;
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.push(DONE_FRAME);
  }
}
