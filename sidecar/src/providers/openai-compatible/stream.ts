import { SseScanner, eventData } from "../../sse/scanner";
import type { NormalizedUsage, StreamDecoder, StreamOptions } from "../types";
import { asBuffer, concatBytes, isRecord, tryParseJson } from "./bytes";
import { finishReasonOf, usageFromOpenAi } from "./usage";

const USAGE_KEY = Buffer.from('"usage"');
const FINISH_KEY = Buffer.from('"finish_reason":"');
const QUOTE = 0x22;
const SPACE = 0x20;
const COLON = 0x3a;
const LOWER_N = 0x6e;
const LOWER_D = 0x64; // "data:" line first

/**
 * OpenAI-compatible SSE pass-through. Bytes go out unchanged; each event is only scanned for the
 * `"usage"` key (parsed when non-null, which is the final usage chunk) and a cheap finish_reason peek.
 * When the client did not ask for usage, the usage-only chunk (`choices: []`) is removed; then only
 * complete events are forwarded.
 */
export class OpenAiStreamDecoder implements StreamDecoder {
  usage: NormalizedUsage | null = null;
  finishReason: string | null = null;
  started = false;
  private readonly scanner = new SseScanner();
  private readonly strip: boolean;
  private kept: Uint8Array[] = [];
  private dropped = false;
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
    if (rest.length === 0) return null;
    const usageOnly = this.inspect(rest);
    return this.strip && !usageOnly ? rest : null;
  }

  /** Updates usage/finish/started; returns true when the event is the usage-only chunk. */
  private inspect(event: Uint8Array): boolean {
    const buf = asBuffer(event);
    if (!this.started && event[0] === LOWER_D) this.started = true;
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

function isNullAfterKey(buf: Buffer, from: number): boolean {
  let p = from;
  while (p < buf.length && (buf[p] === SPACE || buf[p] === COLON)) p++;
  return buf[p] === LOWER_N;
}
