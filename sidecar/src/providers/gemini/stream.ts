/**
 * Gemini SSE (`:streamGenerateContent?alt=sse`) → OpenAI `chat.completion.chunk` SSE (providers.md §4.6).
 *
 * Each upstream event is a whole `GenerateContentResponse` holding only new parts; it is parsed once.
 * Per candidate: a role chunk when first seen, one delta per event (content, `reasoning_content` for
 * thought parts, complete tool calls — Gemini sends calls whole), a finish chunk on `finishReason`.
 * `usageMetadata` may repeat (running totals): the last one wins. Gemini sends no `[DONE]`: the decoder
 * adds the usage chunk (only when the client asked) and `data: [DONE]` at the end of the body.
 * An `{"error":…}` event (or an unparseable one) becomes one OpenAI error event and the stream stops
 * there, without a finish chunk or `[DONE]` (as the pipeline does for its own mid-stream failures).
 */
import { SseScanner, eventData } from "../../sse/scanner";
import type { NormalizedUsage, StreamDecoder, StreamOptions } from "../types";
import { logprobsFromGemini, mapFinishReason, readParts, responseMeta } from "./candidate";
import { streamErrorEvent, toStreamErrorObject, truncatedStreamEvent } from "../shared/stream-error";
import { envelopeFor, googleError } from "./errors";
import { digest, isRecord, parseJsonBytes, type Json } from "./json";
import { blockReason } from "./response";
import { openAiUsage, usageFromGemini } from "./usage";

/** `now`/`model` are optional until the contract passes them (see response.ts ResponseContext). */
export type GeminiStreamOptions = StreamOptions;

interface CandidateState {
  toolCalls: number;
  finished: boolean;
}

const DONE = "data: [DONE]\n\n";

export class GeminiStreamDecoder implements StreamDecoder {
  usage: NormalizedUsage | null = null;
  finishReason: string | null = null;
  started = false;
  private readonly scanner = new SseScanner();
  private readonly candidates = new Map<number, CandidateState>();
  private out: string[] = [];
  private stopped = false;
  private head: { id: string; seed: string; model: string; created: number } | null = null;
  private readonly onEvent = (event: Uint8Array): void => this.event(event);

  constructor(
    private readonly options: GeminiStreamOptions,
    private readonly label: string,
  ) {}

  push(chunk: Uint8Array): Uint8Array | null {
    if (this.stopped || chunk.length === 0) return null;
    this.scanner.push(chunk, this.onEvent);
    return this.flush();
  }

  end(): Uint8Array | null {
    if (this.stopped) return null;
    const rest = this.scanner.finish();
    if (rest.length > 0) this.event(rest);
    if (!this.stopped) {
      this.stopped = true;
      // Gemini has no end marker: a body without any finishReason was cut (shared/stream-error.ts).
      if (this.finishReason === null) this.out.push(truncatedStreamEvent(this.label, "a finishReason"));
      else {
        if (this.options.clientIncludeUsage) this.emitUsage();
        this.out.push(DONE);
      }
    }
    return this.flush();
  }

  private flush(): Uint8Array | null {
    if (this.out.length === 0) return null;
    const bytes = Buffer.from(this.out.length === 1 ? (this.out[0] as string) : this.out.join(""), "utf8");
    this.out = [];
    return bytes;
  }

  private event(raw: Uint8Array): void {
    if (this.stopped) return;
    const data = eventData(raw);
    if (data === null || data.length === 0) return;
    const json = parseJsonBytes(data);
    const error = googleError(json);
    if (!isRecord(json) || error !== null) return this.fail(error, isRecord(json));
    this.head ??= responseMeta(json, digest(data).slice(0, 24), this.options);
    const usage = usageFromGemini(json["usageMetadata"]);
    if (usage !== null) this.usage = usage;
    const candidates = Array.isArray(json["candidates"]) ? json["candidates"].filter(isRecord) : [];
    if (candidates.length > 0) candidates.forEach((c, pos) => this.candidate(c, typeof c["index"] === "number" ? c["index"] : pos));
    else if (blockReason(json) !== null) this.blocked();
  }

  private candidate(c: Json, index: number): void {
    const state = this.state(index);
    if (state.finished) return;
    const parts = readParts(isRecord(c["content"]) ? c["content"]["parts"] : undefined, (this.head as { seed: string }).seed, index, state.toolCalls);
    const delta: Json = {};
    if (parts.content !== "") delta["content"] = parts.content;
    if (parts.reasoning !== "") delta["reasoning_content"] = parts.reasoning;
    if (parts.toolCalls.length > 0) delta["tool_calls"] = parts.toolCalls;
    state.toolCalls += parts.toolCalls.length;
    if (parts.content !== "" || parts.toolCalls.length > 0 || parts.reasoning !== "") {
      this.started = true;
      this.chunk({ index, delta, logprobs: logprobsFromGemini(c["logprobsResult"]), finish_reason: null });
    }
    if (c["finishReason"] !== undefined && c["finishReason"] !== null) this.finish(index, state, mapFinishReason(c["finishReason"], state.toolCalls > 0));
  }

  private state(index: number): CandidateState {
    let state = this.candidates.get(index);
    if (state === undefined) {
      state = { toolCalls: 0, finished: false };
      this.candidates.set(index, state);
      this.chunk({ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null });
    }
    return state;
  }

  private finish(index: number, state: CandidateState, reason: string): void {
    state.finished = true;
    if (index === 0) this.finishReason = reason;
    this.chunk({ index, delta: {}, logprobs: null, finish_reason: reason });
  }

  /** Prompt blocked: no candidates, `promptFeedback.blockReason` → one content_filter choice. */
  private blocked(): void {
    const state = this.state(0);
    if (!state.finished) this.finish(0, state, "content_filter");
  }

  private chunk(choice: Json): void {
    const head = this.head as { id: string; model: string; created: number };
    const chunk: Json = { id: head.id, object: "chat.completion.chunk", created: head.created, model: head.model, choices: [choice] };
    if (this.options.clientIncludeUsage) chunk["usage"] = null;
    this.out.push(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  private emitUsage(): void {
    const head = this.head ?? responseMeta({}, "empty", this.options);
    const usage = this.usage ?? { promptTokens: 0, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
    const chunk = { id: head.id, object: "chat.completion.chunk", created: head.created, model: head.model, choices: [], usage: openAiUsage(usage) };
    this.out.push(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  private fail(error: Json | null, wasJson: boolean): void {
    const inner = error !== null ? envelopeFor(typeof error["code"] === "number" ? error["code"] : 500, error, this.label).body["error"] : undefined;
    this.out.push(
      streamErrorEvent(
        isRecord(inner)
          ? toStreamErrorObject(inner)
          : { message: `${this.label}: ${wasJson ? "unexpected" : "unparseable"} stream event.`, type: "server_error", code: "upstream_invalid_response" },
      ),
    );
    this.stopped = true;
  }
}
