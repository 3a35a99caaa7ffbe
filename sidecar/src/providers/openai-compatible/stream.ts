import { SseScanner, eventData } from "../../sse/scanner";
import type { NormalizedUsage, StreamDecoder, StreamOptions } from "../types";
import { truncatedStreamEvent } from "../shared/stream-error";
import { asBuffer, concatBytes, isRecord, tryParseJson } from "./bytes";
import { finishReasonOf, usageFromOpenAi } from "./usage";

const USAGE_KEY = Buffer.from('"usage"');
const FINISH_KEY = Buffer.from('"finish_reason":"');
const QUOTE = 0x22;
const SPACE = 0x20;
const COLON = 0x3a;
const LOWER_N = 0x6e;
const LOWER_D = 0x64; // "data:" line first
const DONE_DATA = "[DONE]";
/** Longer events cannot be `data: [DONE]` (allows for `\r` and spacing). */
const MAX_DONE_EVENT = 24;
const EVENT_END = Buffer.from("\n\n");
const DATA_FIELD = Buffer.from("data:");
const ERROR_OPEN = Buffer.from('{"error"');

/**
 * OpenAI-compatible SSE pass-through. Bytes go out unchanged; each event is only scanned for the
 * `"usage"` key (parsed when non-null, which is the final usage chunk) and a cheap finish_reason peek.
 * When the client did not ask for usage, the usage-only chunk (`choices: []`) is removed; then only
 * complete events are forwarded. A body that ends without `data: [DONE]` was cut: one error event is
 * appended (shared/stream-error.ts).
 */
export class OpenAiStreamDecoder implements StreamDecoder {
  usage: NormalizedUsage | null = null;
  finishReason: string | null = null;
  started = false;
  private readonly scanner = new SseScanner();
  private readonly strip: boolean;
  private kept: Uint8Array[] = [];
  private dropped = false;
  private upstreamEnded = false;
  private readonly onInspect = (event: Uint8Array): void => {
    this.inspect(event);
  };
  private readonly onFilter = (event: Uint8Array): void => {
    if (this.inspect(event)) this.dropped = true;
    else this.kept.push(event);
  };

  constructor(options: StreamOptions) {
    this.strip = !options.clientIncludeUsage;
  }

  push(chunk: Uint8Array): Uint8Array | null {
    if (chunk.length === 0) return null;
    if (!this.strip) {
      this.scanner.push(chunk, this.onInspect);
      return chunk;
    }
    const carriedIn = this.scanner.hasPending;
    this.kept = [];
    this.dropped = false;
    this.scanner.push(chunk, this.onFilter);
    if (!this.dropped && !carriedIn && !this.scanner.hasPending) return chunk;
    return this.kept.length === 0 ? null : concatBytes(this.kept);
  }

  end(): Uint8Array | null {
    const rest = this.scanner.finish();
    const usageOnly = rest.length > 0 && this.inspect(rest);
    // Without stripping, `rest` already went out with its chunk; with stripping it was held back.
    const held = this.strip && rest.length > 0 && !usageOnly ? rest : null;
    if (this.upstreamEnded) return held;
    const unterminated = held !== null || (!this.strip && rest.length > 0);
    const error = Buffer.from(truncatedStreamEvent("upstream", "data: [DONE]"));
    return Buffer.concat([...(held === null ? [] : [held]), ...(unterminated ? [EVENT_END] : []), error]);
  }

  /** Updates usage/finish/started; returns true when the event is the usage-only chunk. */
  private inspect(event: Uint8Array): boolean {
    const buf = asBuffer(event);
    if (!this.started && event[0] === LOWER_D) this.started = true;
    if (!this.upstreamEnded) {
      if (event.length <= MAX_DONE_EVENT) {
        const data = eventData(event);
        if (data !== null && asBuffer(data).toString("latin1") === DONE_DATA) this.upstreamEnded = true;
      } else if (isErrorEvent(buf)) this.upstreamEnded = true; // an upstream error event already ends the stream
    }
    if (this.finishReason === null) this.peekFinish(buf);
    const at = buf.indexOf(USAGE_KEY);
    if (at === -1 || isNullAfterKey(buf, at + USAGE_KEY.length)) return false;
    const data = eventData(event);
    if (data === null) return false;
    const json = tryParseJson(data);
    if (!isRecord(json)) return false;
    const usage = usageFromOpenAi(json["usage"]);
    if (usage !== null) this.usage = usage;
    this.finishReason ??= finishReasonOf(json);
    const choices = json["choices"];
    return usage !== null && Array.isArray(choices) && choices.length === 0;
  }

  private peekFinish(buf: Buffer): void {
    const at = buf.indexOf(FINISH_KEY);
    if (at === -1) return;
    const start = at + FINISH_KEY.length;
    const end = buf.indexOf(QUOTE, start);
    if (end > start) this.finishReason = buf.toString("latin1", start, end);
  }
}

/** `data: {"error"…`: OpenAI's mid-stream error event, which ends the stream by itself (byte compare, no copy). */
function isErrorEvent(buf: Buffer): boolean {
  if (buf.compare(DATA_FIELD, 0, DATA_FIELD.length, 0, DATA_FIELD.length) !== 0) return false;
  let p = DATA_FIELD.length;
  while (buf[p] === SPACE) p++;
  return buf.compare(ERROR_OPEN, 0, ERROR_OPEN.length, p, p + ERROR_OPEN.length) === 0;
}

function isNullAfterKey(buf: Buffer, from: number): boolean {
  let p = from;
  while (p < buf.length && (buf[p] === SPACE || buf[p] === COLON)) p++;
  return buf[p] === LOWER_N;
}
