import type { ProxyError } from "../errors/proxy-error";
import type { ResponseSink } from "../pipeline/sink";
import { writeError, writeLimitHeaders, writeResponse, statusLine, type LimitHeaderValues } from "./respond";
import type { HttpResponse } from "./uws";

/** ResponseSink over a uWS HttpResponse. Writes outside the handler's synchronous part are corked. */
export class UwsSink implements ResponseSink {
  aborted = false;
  /** The response was ended (or aborted): `res` must not be touched any more. */
  private ended = false;
  private abortHandler: (() => void) | null = null;
  /** Rate-limit and retry-after values written on whatever response this request gets. */
  limitHeaders: LimitHeaderValues | null = null;

  constructor(
    private readonly res: HttpResponse,
    private readonly requestId: string,
  ) {}

  /** Wire to `res.onAborted`. */
  markAborted(): void {
    if (this.ended) return;
    this.aborted = true;
    this.ended = true;
    const handler = this.abortHandler;
    this.abortHandler = null;
    handler?.();
  }

  onAbort(handler: () => void): void {
    this.abortHandler = handler;
  }

  send(status: number, headers: readonly string[], body: Uint8Array): void {
    if (this.ended) return;
    this.ended = true;
    writeResponse(this.res, status, this.requestId, headers, body, false, this.limitHeaders);
  }

  sendError(error: ProxyError, closeConnection = false): void {
    if (this.ended) return;
    this.ended = true;
    writeError(this.res, this.requestId, error, undefined, closeConnection, this.limitHeaders);
  }

  beginStream(status: number, headers: readonly string[]): void {
    if (this.ended) return;
    const res = this.res;
    res.cork(() => {
      res.writeStatus(statusLine(status));
      res.writeHeader("x-request-id", this.requestId);
      writeLimitHeaders(res, this.limitHeaders);
      for (let i = 0; i + 1 < headers.length; i += 2) res.writeHeader(headers[i] as string, headers[i + 1] as string);
    });
  }

  write(chunk: Uint8Array): boolean {
    if (this.ended) return true;
    const res = this.res;
    let ok = true;
    res.cork(() => {
      ok = res.write(chunk);
    });
    return ok;
  }

  onWritable(handler: () => void): void {
    if (this.ended) return;
    this.res.onWritable(() => {
      handler();
      return true;
    });
  }

  endStream(): void {
    if (this.ended) return;
    this.ended = true;
    const res = this.res;
    res.cork(() => {
      res.end();
    });
  }
}
