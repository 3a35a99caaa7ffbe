/** One upstream exchange read to the end into memory (bounded), for endpoints that answer whole bodies. */
import { ProxyError } from "../errors/proxy-error";
import type { UpstreamCall, UpstreamHandler, UpstreamResponseHeaders } from "../upstream/agent";
import { MAX_UPSTREAM_BODY_BYTES } from "./relay";

export interface BufferedResponse {
  readonly status: number;
  readonly headers: UpstreamResponseHeaders;
  readonly body: Buffer;
}

/** Calls `done` exactly once: with the whole response, or with a transport / size failure. */
export class BufferedCall implements UpstreamHandler {
  private call: UpstreamCall | null = null;
  private status = 0;
  private headers: UpstreamResponseHeaders = {};
  private chunks: Buffer[] = [];
  private bytes = 0;
  private settled = false;

  constructor(
    private readonly done: (result: BufferedResponse | ProxyError) => void,
    private readonly onHeaders: (status: number) => void,
  ) {}

  attach(call: UpstreamCall): void {
    this.call = call;
  }

  /** Cancels the exchange; `done` is not called afterwards. */
  abort(): void {
    this.settled = true;
    this.chunks = [];
    this.call?.abort();
  }

  onStart(status: number, headers: UpstreamResponseHeaders): void {
    this.onHeaders(status);
    this.status = status;
    this.headers = headers;
  }

  onData(chunk: Buffer): void {
    if (this.settled) return;
    this.bytes += chunk.length;
    if (this.bytes > MAX_UPSTREAM_BODY_BYTES) {
      this.abort();
      this.done(new ProxyError("upstream_invalid_response", "The upstream response body is too large."));
      return;
    }
    this.chunks.push(chunk);
  }

  onEnd(): void {
    this.settle({ status: this.status, headers: this.headers, body: this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks) });
  }

  onError(error: ProxyError): void {
    this.settle(error);
  }

  private settle(result: BufferedResponse | ProxyError): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks = [];
    this.done(result);
  }
}
