/**
 * Bridges one upstream attempt to the client sink: buffered (non-stream) or streamed with backpressure.
 * Finishes exactly once — on upstream end, upstream error, timeout or client abort — and fills status, usage
 * and ttft on the context for accounting.
 *
 * Nothing reaches the client before the attempt commits: a streamed response starts only with the first
 * bytes the decoder produces. A failure before that is offered to the attempt loop (`AttemptHooks.retry`),
 * which may take over with another attempt; only a committed response fails in-stream.
 */
import { ProxyError, proxyError } from "../errors/proxy-error";
import type { ResponseCodec, StreamDecoder } from "../providers/types";
import type { Watched } from "../routing/deadline-watch";
import type { AttemptFailure, FailureKind } from "../routing/retry-policy";
import { parseRetryAfterMs } from "../routing/retry-policy";
import type { UpstreamCall, UpstreamHandler, UpstreamResponseHeaders } from "../upstream/agent";
import type { RequestContext } from "./context";
import type { ResponseSink } from "./sink";

/** Largest buffered (non-stream) upstream body accepted; bigger ones fail as upstream_invalid_response. */
export const MAX_UPSTREAM_BODY_BYTES = 64 * 1024 * 1024;
export const JSON_HEADERS: readonly string[] = Object.freeze(["content-type", "application/json"]);
export const SSE_HEADERS: readonly string[] = Object.freeze(["content-type", "text/event-stream", "cache-control", "no-cache"]);

/** Error code recorded (not sent) when the provider's own error response is relayed. */
export const RELAYED_UPSTREAM_ERROR = "upstream_error";

function isStreamOf(headers: UpstreamResponseHeaders, contentType: string): boolean {
  const type = headers["content-type"];
  return typeof type === "string" && type.includes(contentType);
}

function header(headers: UpstreamResponseHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Absolute deadlines of one attempt (performance.now() clock; Infinity = none). */
export interface AttemptDeadlines {
  readonly connectBy: number;
  readonly firstTokenBy: number;
  readonly idleMs: number;
  readonly totalBy: number;
}

/** What the attempt loop lends one relay. */
export interface AttemptHooks {
  /**
   * A failure before anything reached the client. True = the loop takes over (retry or fallback) and the
   * relay writes nothing; false = the relay answers the client with it.
   */
  retry(failure: AttemptFailure): boolean;
  /** Headers of a committed JSON answer, a stream, and the extra ones for a relayed provider error. */
  readonly headers: AttemptHeaders;
  /** The first token arrived (streams) or the response headers did (non-stream), after `ms` of this attempt, at `now`. */
  onFirstToken(ms: number, now: number): void;
  /** The upstream answered with this status (headers received) at `now` (the watch's clock). */
  onHeaders(status: number, now: number): void;
  /**
   * Called exactly once, when the relay is done: "finished" = the client was answered (ctx filled);
   * "retry" = the loop takes over. Called synchronously from the relay's last step.
   */
  onSettled(outcome: RelayOutcome): void;
}

/** Response headers of one attempt, built once per target (which deployment served, after how many attempts). */
export interface AttemptHeaders {
  readonly json: readonly string[];
  readonly sse: readonly string[];
  readonly extra: readonly string[];
}

const NO_CHUNKS: Buffer[] = [];
const NO_RESPONSE_HEADERS: UpstreamResponseHeaders = Object.freeze({});

export type RelayOutcome = "finished" | "retry";

type Phase = "connect" | "first" | "idle";

export class ChatRelay implements UpstreamHandler, Watched {
  deadline: number;
  watchSlot = -1;
  private call: UpstreamCall | null = null;
  private finished = false;
  private committed = false;
  private phase: Phase = "connect";
  private status = 0;
  private headers: UpstreamResponseHeaders = {};
  private chunks: Buffer[] = [];
  private bytes = 0;
  private decoder: StreamDecoder | null = null;
  private paused = false;
  private readonly startedAt: number;
  private readonly resumeUpstream = (): void => {
    if (!this.paused) return;
    this.paused = false;
    this.call?.resume();
  };

  constructor(
    private readonly ctx: RequestContext,
    private readonly sink: ResponseSink,
    private readonly codec: ResponseCodec,
    private readonly hooks: AttemptHooks,
    private readonly deadlines: AttemptDeadlines,
    private readonly watch: { add(item: Watched): void; delete(item: Watched): void; now(): number },
    /** When the attempt started, on the watch's clock. */
    startedAt: number,
  ) {
    this.startedAt = startedAt;
    this.deadline = Math.min(deadlines.connectBy, deadlines.firstTokenBy, deadlines.totalBy);
  }

  /** The model the request went to upstream: what translated responses name when the provider does not. */
  private upstreamModel(): string {
    return this.ctx.target?.upstreamModel ?? this.ctx.model;
  }

  attach(call: UpstreamCall): void {
    this.call = call;
    if (this.finished) return;
    if (this.sink.aborted) {
      this.clientAborted();
      return;
    }
    this.sink.onAbort(() => this.clientAborted());
    if (this.deadline !== Infinity) this.watch.add(this);
  }

  onRequestStart(): void {
    if (this.phase !== "connect") return;
    this.phase = "first";
    this.deadline = Math.min(this.deadlines.firstTokenBy, this.deadlines.totalBy);
  }

  onStart(status: number, headers: UpstreamResponseHeaders): void {
    const now = this.watch.now();
    this.hooks.onHeaders(status, now);
    this.status = status;
    this.headers = headers;
    if (this.ctx.stream && status >= 200 && status < 300 && isStreamOf(headers, this.codec.streamContentType)) {
      this.decoder = this.codec.createStreamDecoder({ clientIncludeUsage: this.ctx.includeUsage, now: this.ctx.startedAtMs, model: this.upstreamModel() });
      this.onRequestStart();
      return;
    }
    // Non-stream (or an error answer): the headers are the first sign of life; the body may still idle.
    this.firstToken(now);
  }

  onData(chunk: Buffer): void {
    if (this.finished) return;
    const decoder = this.decoder;
    if (this.phase === "idle" && this.deadlines.idleMs !== Infinity) {
      this.deadline = Math.min(this.watch.now() + this.deadlines.idleMs, this.deadlines.totalBy);
    }
    if (decoder === null) {
      this.bytes += chunk.length;
      if (this.bytes > MAX_UPSTREAM_BODY_BYTES) {
        this.call?.abort();
        this.fail(new ProxyError("upstream_invalid_response", "The upstream response body is too large."), "status");
        return;
      }
      this.chunks.push(chunk);
      return;
    }
    const out = decoder.push(chunk);
    if (this.ctx.ttftMs === 0 && decoder.started) {
      this.ctx.ttftMs = this.elapsedMs();
      this.firstToken(this.watch.now());
    }
    if (out !== null) this.forward(out);
  }

  onEnd(): void {
    if (this.finished) return;
    const decoder = this.decoder;
    if (decoder !== null) {
      const tail = decoder.end();
      if (tail !== null) this.forward(tail);
      if (!this.committed) this.commitStream();
      this.sink.endStream();
      this.ctx.usage = decoder.usage;
      this.finish(200, "");
      return;
    }
    this.completeBuffered(this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks));
  }

  onError(error: ProxyError): void {
    if (this.finished) return;
    if (error.code === "upstream_timeout") return this.fail(error, "timeout");
    if (this.status === 0) return this.fail(error, "connect");
    // The answer had begun: the provider is reachable but cut its response short. A 2xx is not retried
    // (the provider did the work); an error answer cut short is retried like a refused connection.
    const cut = new ProxyError("upstream_invalid_response", "The upstream provider closed the connection before its response was complete.");
    this.fail(cut, this.status >= 200 && this.status < 300 ? "status" : "connect");
  }

  /** A deadline passed (called by the DeadlineWatch). */
  expire(now: number): void {
    if (this.finished) return;
    this.call?.abort();
    const total = now >= this.deadlines.totalBy;
    const what = total ? "in total" : this.phase === "connect" ? "to connect" : this.phase === "first" ? "for a first token" : "between chunks";
    const kind: FailureKind = this.phase === "connect" && !total ? "connect" : "timeout";
    this.fail(new ProxyError("upstream_timeout", `The upstream provider took too long ${what}.`), kind);
  }

  private firstToken(now: number): void {
    if (this.phase === "idle") return;
    this.phase = "idle";
    this.hooks.onFirstToken(now - this.startedAt, now);
    this.deadline = this.deadlines.idleMs === Infinity ? this.deadlines.totalBy : Math.min(now + this.deadlines.idleMs, this.deadlines.totalBy);
  }

  private commitStream(): void {
    this.committed = true;
    this.ctx.status = 200;
    this.sink.beginStream(200, this.hooks.headers.sse);
  }

  private forward(out: Uint8Array): void {
    if (!this.committed) this.commitStream();
    if (!this.sink.write(out) && !this.paused) {
      this.paused = true;
      this.call?.pause();
      this.sink.onWritable(this.resumeUpstream);
    }
  }

  private completeBuffered(body: Buffer): void {
    const status = this.status;
    if (status >= 200 && status < 300) {
      if (this.ctx.stream) return this.fail(new ProxyError("upstream_invalid_response", "Expected an event stream."), "status");
      const parsed = this.codec.parseChatResponse(body, { now: this.ctx.startedAtMs, model: this.upstreamModel() });
      if (!parsed.ok) return this.fail(proxyError("upstream_invalid_response"), "status");
      this.ctx.usage = parsed.usage;
      this.ctx.ttftMs = this.elapsedMs();
      this.committed = true;
      this.sink.send(status, this.hooks.headers.json, parsed.body);
      return this.finish(status, "");
    }
    const failure: AttemptFailure = {
      kind: "status",
      status,
      retryAfterMs: parseRetryAfterMs(header(this.headers, "retry-after"), header(this.headers, "retry-after-ms"), Date.now()),
    };
    if (this.offerRetry(failure)) return;
    const mapped = this.codec.mapError(status, this.headers, body);
    if (mapped.kind === "code") {
      return this.answerError(new ProxyError(mapped.code, mapped.message ?? undefined));
    }
    this.committed = true;
    this.sink.send(mapped.status, mapped.headers.concat(this.hooks.headers.extra), mapped.body);
    this.finish(mapped.status, RELAYED_UPSTREAM_ERROR);
  }

  /**
   * Before commit: offered to the attempt loop, else an error response. After: an error event in the
   * stream, then close (the sink's dialect). `kind` classifies it for the retry policy.
   */
  private fail(error: ProxyError, kind: FailureKind): void {
    const decoder = this.decoder;
    if (!this.committed) {
      // A 2xx that turned out unusable is not retried: the provider did the work (and may bill it).
      const retryable = kind !== "status";
      if (retryable && this.offerRetry({ kind, status: 0, retryAfterMs: null })) return;
      if (decoder !== null) this.ctx.usage = decoder.usage;
      this.answerError(error);
      return;
    }
    if (decoder !== null) this.ctx.usage = decoder.usage;
    this.sink.failStream(error);
    this.finish(error.status, error.code);
  }

  private offerRetry(failure: AttemptFailure): boolean {
    if (!this.hooks.retry(failure)) return false;
    if (this.decoder !== null) this.ctx.usage = this.decoder.usage;
    this.settle("retry");
    return true;
  }

  private answerError(error: ProxyError): void {
    this.sink.sendError(error, false, this.hooks.headers.json);
    this.finish(error.status, error.code);
  }

  private clientAborted(): void {
    if (this.finished) return;
    this.call?.abort();
    if (this.decoder !== null) this.ctx.usage = this.decoder.usage;
    this.finish(499, "client_closed_request");
  }

  private finish(status: number, code: string): void {
    if (this.finished) return;
    this.ctx.status = status;
    this.ctx.errorCode = code;
    this.settle("finished");
  }

  private settle(outcome: RelayOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.watch.delete(this);
    // Nothing of the exchange outlives it through this relay (see RequestContext.release).
    this.chunks = NO_CHUNKS;
    this.headers = NO_RESPONSE_HEADERS;
    this.decoder = null;
    this.call = null;
    this.hooks.onSettled(outcome);
  }

  private elapsedMs(): number {
    return Math.max(1, Math.round(performance.now() - this.ctx.startTick));
  }
}
