import { SseScanner, eventData } from "../../sse/scanner";
import type { NormalizedUsage, StreamDecoder, StreamOptions } from "../types";
import { openAiUsage } from "../shared/openai-usage";
import { asBuffer, concatBytes, isRecord, tryParseJson } from "./bytes";
import { streamErrorEvent, toStreamErrorObject, truncatedStreamEvent } from "../shared/stream-error";
import { fixChoices, openAiErrorObject, takeUsage } from "./chunk-fixes";
import { exciseMember } from "./excise";

/** How a compatible upstream's stream deviates from OpenAI's (data, see vendors.ts and azure-openai/). */
export interface StreamQuirks {
  /** Upstream finish_reason → OpenAI finish_reason (e.g. Together `eos` → `stop`). */
  readonly finishReasons: Readonly<Record<string, string>>;
  /** Annotation members removed byte-wise from forwarded chunks (e.g. Azure `content_filter_results`). */
  readonly exciseKeys: readonly string[];
  /** Drop chunks that are not OpenAI chunks: empty `id`, or choices without `delta` (Azure filter chunks). */
  readonly dropAnnotationChunks: boolean;
}

const DONE = Buffer.from("data: [DONE]\n\n");
const DONE_DATA = "[DONE]";
const FINISH_KEY = Buffer.from('"finish_reason":"');
/** Markers that send an event to the (parsing) repair path; everything else is forwarded byte for byte. */
const USAGE_KEY = Buffer.from('"usage"');
const ERROR_KEY = Buffer.from('"error"');
const CONTENT_ARRAY = Buffer.from('"content":[');
const EMPTY_ID = Buffer.from('"id":""');
const NO_CHOICES = Buffer.from('"choices":[]');
const FILTER_OFFSETS = Buffer.from('"content_filter_offsets"');
const NULL_AFTER = Buffer.from("null");

/**
 * Stream decoder for OpenAI-compatible upstreams that deviate from OpenAI. Every chunk that needs no repair
 * is forwarded as its own bytes (annotation members cut out byte-wise); a chunk that carries usage, an error,
 * a non-OpenAI finish reason, content arrays or is an annotation-only chunk is parsed once and rebuilt.
 * Usage — wherever the upstream put it (usage-only chunk, finish chunk, `x_groq.usage`, every chunk) — is
 * removed from the forwarded chunks and re-emitted as ONE OpenAI usage chunk right before `[DONE]`, only when
 * the client asked for it. SSE comments (OpenRouter keep-alives) are dropped. An upstream error event becomes
 * `data: {"error":{…}}` and the stream ends there (shared/stream-error.ts: no `[DONE]`).
 */
export class NormalizingStreamDecoder implements StreamDecoder {
  usage: NormalizedUsage | null = null;
  finishReason: string | null = null;
  started = false;
  private readonly scanner = new SseScanner();
  private readonly includeUsage: boolean;
  private out: Uint8Array[] = [];
  private changed = false;
  private done = false;
  private meta: { id: unknown; created: unknown; model: unknown } | null = null;
  private readonly onEvent = (event: Uint8Array): void => {
    const forwarded = this.handle(event);
    if (forwarded !== event) this.changed = true;
    if (forwarded !== null) this.out.push(forwarded);
  };

  constructor(
    options: StreamOptions,
    private readonly quirks: StreamQuirks,
  ) {
    this.includeUsage = options.clientIncludeUsage;
  }

  push(chunk: Uint8Array): Uint8Array | null {
    if (chunk.length === 0) return null;
    const carriedIn = this.scanner.hasPending;
    this.out = [];
    this.changed = false;
    this.scanner.push(chunk, this.onEvent);
    if (!this.changed && !carriedIn && !this.scanner.hasPending) return chunk;
    return this.out.length === 0 ? null : concatBytes(this.out);
  }

  end(): Uint8Array | null {
    this.out = [];
    const rest = this.scanner.finish();
    if (rest.length > 0) this.onEvent(rest);
    if (this.done) return this.out.length === 0 ? null : concatBytes(this.out);
    // No [DONE]: a finish reason or usage means the answer is complete (some vendors omit [DONE]); else it was cut.
    if (this.finishReason !== null || this.usage !== null) this.out.push(this.finish());
    else {
      this.done = true;
      this.out.push(Buffer.from(truncatedStreamEvent("upstream", "a finish reason or [DONE]")));
    }
    return this.out.length === 0 ? null : concatBytes(this.out);
  }

  private handle(event: Uint8Array): Uint8Array | null {
    if (this.done) return null;
    const data = eventData(event);
    if (data === null || data.length === 0) return null;
    const buf = asBuffer(data);
    if (buf.length === DONE_DATA.length && buf.toString("latin1") === DONE_DATA) return this.finish();
    if (this.meta !== null && !this.needsRepair(buf)) return this.forward(event);
    const json = tryParseJson(data);
    if (!isRecord(json)) return this.forward(event);
    return this.repair(json);
  }

  private needsRepair(data: Buffer): boolean {
    const usageAt = data.indexOf(USAGE_KEY);
    if (usageAt !== -1 && !isNullAfter(data, usageAt + USAGE_KEY.length)) return true;
    if (data.includes(ERROR_KEY) || data.includes(CONTENT_ARRAY)) return true;
    if (this.quirks.dropAnnotationChunks && (data.includes(EMPTY_ID) || data.includes(NO_CHOICES) || data.includes(FILTER_OFFSETS))) return true;
    const reason = peekFinish(data);
    return reason !== null && this.quirks.finishReasons[reason] !== undefined;
  }

  private forward(event: Uint8Array): Uint8Array {
    this.started = true;
    const reason = peekFinish(asBuffer(event));
    if (reason !== null) this.finishReason = reason;
    let out = event;
    for (const key of this.quirks.exciseKeys) out = exciseMember(out, key);
    return out;
  }

  private repair(json: Record<string, unknown>): Uint8Array | null {
    if (json["error"] !== undefined && json["error"] !== null) {
      this.done = true;
      this.finishReason = null;
      return Buffer.from(streamErrorEvent(toStreamErrorObject(openAiErrorObject(json["error"], 500))));
    }
    const usage = takeUsage(json);
    if (usage !== null) this.usage = usage;
    const choices = Array.isArray(json["choices"]) ? json["choices"] : [];
    if (this.quirks.dropAnnotationChunks) {
      const kept = choices.filter((c) => isRecord(c) && isRecord(c["delta"]));
      if (json["id"] === "" || kept.length === 0) return null;
      json["choices"] = kept;
    } else if (choices.length === 0) return null;
    this.meta ??= { id: json["id"], created: json["created"], model: json["model"] };
    fixChoices(json, { finishReasons: this.quirks.finishReasons, strip: this.quirks.exciseKeys }, "delta");
    const first: unknown = (json["choices"] as unknown[])[0];
    if (isRecord(first) && typeof first["finish_reason"] === "string") this.finishReason = first["finish_reason"];
    if (this.includeUsage) json["usage"] = null;
    this.started = true;
    return Buffer.from(`data: ${JSON.stringify(json)}\n\n`);
  }

  /** The usage chunk (when the client asked and usage was seen), then `[DONE]`. */
  private finish(): Uint8Array {
    this.done = true;
    if (!this.includeUsage || this.usage === null) return DONE;
    const m = this.meta ?? { id: "", created: 0, model: "" };
    const chunk = { id: m.id, object: "chat.completion.chunk", created: m.created, model: m.model, choices: [], usage: openAiUsage(this.usage) };
    return Buffer.concat([Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`), DONE]);
  }
}

function peekFinish(buf: Buffer): string | null {
  const at = buf.indexOf(FINISH_KEY);
  if (at === -1) return null;
  const start = at + FINISH_KEY.length;
  const end = buf.indexOf(0x22, start);
  return end > start ? buf.toString("latin1", start, end) : null;
}

function isNullAfter(buf: Buffer, from: number): boolean {
  let p = from;
  while (p < buf.length && (buf[p] === 0x20 || buf[p] === 0x3a)) p++;
  return buf.compare(NULL_AFTER, 0, 4, p, p + 4) === 0;
}
