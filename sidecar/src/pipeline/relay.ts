/**
 * Bridges one upstream exchange to the client sink: buffered (non-stream) or streamed with backpressure.
 * Finishes exactly once — on upstream end, upstream error or client abort — and fills status, usage and
 * ttft on the context for accounting.
 */
import { ProxyError, proxyError } from "../errors/proxy-error";
import type { ResponseCodec, StreamDecoder } from "../providers/types";
import type { UpstreamCall, UpstreamHandler, UpstreamResponseHeaders } from "../upstream/agent";
import type { RequestContext } from "./context";
import type { ResponseSink } from "./sink";

/** Largest buffered (non-stream) upstream body accepted; bigger ones fail as upstream_invalid_response. */
export const MAX_UPSTREAM_BODY_BYTES = 64 * 1024 * 1024;
export const JSON_HEADERS: readonly string[] = Object.freeze(["content-type", "application/json"]);
const SSE_HEADERS: readonly string[] = Object.freeze(["content-type", "text/event-stream", "cache-control", "no-cache"]);

/** Error code recorded (not sent) when the provider's own error response is relayed. */
export const RELAYED_UPSTREAM_ERROR = "upstream_error";

function isStreamOf(headers: UpstreamResponseHeaders, contentType: string): boolean {
  const type = headers["content-type"];
  return typeof type === "string" && type.includes(contentType);
}

export class ChatRelay implements UpstreamHandler {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private call: UpstreamCall | null = null;
  private finished = false;
  private status = 0;
  private headers: UpstreamResponseHeaders = {};
  private chunks: Buffer[] = [];
  private bytes = 0;
  private decoder: StreamDecoder | null = null;
  private paused = false;
  private readonly resumeUpstream = (): void => {
    if (!this.paused) return;
    this.paused = false;
    this.call?.resume();
  };

  constructor(
    private readonly ctx: RequestContext,
    private readonly sink: ResponseSink,
    private readonly adapter: ResponseCodec,
    private readonly onHeaders: (status: number) => void,
  ) {
    this.done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** The model the request went to upstream: what translated responses name when the provider does not. */
  private upstreamModel(): string {
    return this.ctx.target?.upstreamModel ?? this.ctx.model;
  }

  attach(call: UpstreamCall): void {
    this.call = call;
    if (this.sink.aborted) this.clientAborted();
    else this.sink.onAbort(() => this.clientAborted());
  }

  onStart(status: number, headers: UpstreamResponseHeaders): void {
    this.onHeaders(status);
    this.status = status;
    this.headers = headers;
    if (this.ctx.stream && status >= 200 && status < 300 && isStreamOf(headers, this.adapter.streamContentType)) {
      this.decoder = this.adapter.createStreamDecoder({ clientIncludeUsage: this.ctx.includeUsage, now: this.ctx.startedAtMs, model: this.upstreamModel() });
      this.ctx.status = 200;
      this.sink.beginStream(200, SSE_HEADERS);
    }
  }

  onData(chunk: Buffer): void {
    if (this.finished) return;
    const decoder = this.decoder;
    if (decoder === null) {
      this.bytes += chunk.length;
      if (this.bytes > MAX_UPSTREAM_BODY_BYTES) {
        this.call?.abort();
        this.fail(new ProxyError("upstream_invalid_response", "The upstream response body is too large."));
        return;
      }
      this.chunks.push(chunk);
      return;
    }
    const out = decoder.push(chunk);
    if (this.ctx.ttftMs === 0 && decoder.started) this.ctx.ttftMs = this.elapsedMs();
    if (out !== null && !this.sink.write(out) && !this.paused) {
      this.paused = true;
      this.call?.pause();
      this.sink.onWritable(this.resumeUpstream);
    }
  }

  onEnd(): void {
    if (this.finished) return;
    const decoder = this.decoder;
    if (decoder !== null) {
      const tail = decoder.end();
      if (tail !== null) this.sink.write(tail);
      this.sink.endStream();
      this.ctx.usage = decoder.usage;
      this.finish(200, "");
      return;
    }
    this.completeBuffered(this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks));
  }

  onError(error: ProxyError): void {
    if (this.finished) return;
    this.fail(error);
  }

  private completeBuffered(body: Buffer): void {
    const status = this.status;
    if (status >= 200 && status < 300) {
      if (this.ctx.stream) return this.fail(new ProxyError("upstream_invalid_response", "Expected an event stream."));
      const parsed = this.adapter.parseChatResponse(body, { now: this.ctx.startedAtMs, model: this.upstreamModel() });
      if (!parsed.ok) return this.fail(proxyError("upstream_invalid_response"));
      this.ctx.usage = parsed.usage;
      this.ctx.ttftMs = this.elapsedMs();
      this.sink.send(status, JSON_HEADERS, parsed.body);
      return this.finish(status, "");
    }
    const mapped = this.adapter.mapError(status, this.headers, body);
    if (mapped.kind === "code") {
      return this.fail(new ProxyError(mapped.code, mapped.message ?? undefined));
    }
    this.sink.send(mapped.status, mapped.headers, mapped.body);
    this.finish(mapped.status, RELAYED_UPSTREAM_ERROR);
  }

  /** Before the stream started: an error response. After: an SSE error event, then close (the sink's dialect). */
  private fail(error: ProxyError): void {
    const decoder = this.decoder;
    if (decoder === null) {
      this.sink.sendError(error);
      this.finish(error.status, error.code);
      return;
    }
    this.ctx.usage = decoder.usage;
    this.sink.failStream(error);
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
    this.finished = true;
    this.ctx.status = status;
    this.ctx.errorCode = code;
    this.chunks = [];
    this.resolveDone();
  }

  private elapsedMs(): number {
    return Math.max(1, Math.round(performance.now() - this.ctx.startTick));
  }
}
