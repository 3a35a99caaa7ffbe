import { OPENAI_DIALECT, type ErrorDialect } from "../errors/dialect";
import type { ProxyError } from "../errors/proxy-error";
import type { ResponseSink } from "../pipeline/sink";
import { JSON_HEADERS, responseHead, writeResponse, type LimitHeaderValues } from "./respond";
import type { HttpResponse } from "./uws";

/**
 * ResponseSink over a uWS HttpResponse. Writes outside the handler's synchronous part are corked. The
 * dialect spells the sidecar's own errors and names the extra headers that echo the request id.
 */
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
    private readonly dialect: ErrorDialect = OPENAI_DIALECT,
  ) {}

  /** Wire to `res.onAborted`. */
  markAborted(): void {
    if (this.ended) return;
    this.aborted = true;
    const handler = this.abortHandler;
    this.end();
    handler?.();
  }

  /**
   * The response is over: drop what links this sink to the request (uWS keeps the connection's handlers,
   * and so this sink, until the next request on it; a finished request must not stay reachable from here).
   */
  private end(): void {
    this.ended = true;
    this.abortHandler = null;
    this.limitHeaders = null;
  }

  onAbort(handler: () => void): void {
    this.abortHandler = handler;
  }

  send(status: number, headers: readonly string[], body: Uint8Array): void {
    if (this.ended) return;
    const limits = this.limitHeaders;
    this.end();
    writeResponse(this.res, status, this.requestId, headers, body, false, limits, this.dialect.requestIdHeaders);
  }

  sendError(error: ProxyError, closeConnection = false, headers: readonly string[] = JSON_HEADERS): void {
    if (this.ended) return;
    const limits = this.limitHeaders;
    this.end();
    writeResponse(this.res, error.status, this.requestId, headers, this.dialect.errorBody(error), closeConnection, limits, this.dialect.requestIdHeaders);
  }

  beginStream(status: number, headers: readonly string[]): void {
    if (this.ended) return;
    const res = this.res;
    const head = responseHead(status, this.requestId, headers, this.limitHeaders, this.dialect.requestIdHeaders);
    res.cork(() => {
      res.writeStatus(head);
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

  failStream(error: ProxyError): void {
    this.write(this.dialect.errorEvent(error));
    this.endStream();
  }

  endStream(): void {
    if (this.ended) return;
    this.end();
    const res = this.res;
    res.cork(() => {
      res.end();
    });
  }
}
