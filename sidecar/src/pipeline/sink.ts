import type { ProxyError } from "../errors/proxy-error";

/**
 * Where the pipeline writes a response. Implemented by the server over uWS; the pipeline never sees the
 * transport. Every response carries the request's x-request-id (the sink adds it).
 */
export interface ResponseSink {
  /** The client went away; nothing written after this reaches it. */
  readonly aborted: boolean;
  /** A complete response. `headers` is a flat [name, value, …] list. */
  send(status: number, headers: readonly string[], body: Uint8Array): void;
  /** An error in the client's dialect; `headers` (default: JSON content type) may add e.g. which deployment failed. */
  sendError(error: ProxyError, closeConnection?: boolean, headers?: readonly string[]): void;
  /** Starts a streamed (chunked) response. */
  beginStream(status: number, headers: readonly string[]): void;
  /** False = the client is slow; wait for `onWritable` before writing more. */
  write(chunk: Uint8Array): boolean;
  /** One handler; called when buffered bytes drained after a `write` returned false. */
  onWritable(handler: () => void): void;
  endStream(): void;
  /** After `beginStream`: writes the error as a stream event (in the client's dialect) and ends the stream. */
  failStream(error: ProxyError): void;
  /** One handler; called once if the client disconnects before the response completed. */
  onAbort(handler: () => void): void;
}
