/**
 * The only importer of undici: one keep-alive Agent (a Pool per origin) and a thin bridge from undici's
 * dispatch handler to a transport-neutral UpstreamHandler. Failures arrive as catalogue ProxyErrors.
 */
import { Agent, type Dispatcher } from "undici";
import { ProxyError } from "../errors/proxy-error";

export type UpstreamResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface UpstreamCallOptions {
  readonly origin: string;
  readonly path: string;
  readonly method: "POST" | "GET";
  readonly headers: readonly string[];
  readonly body: Uint8Array;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
}

export interface UpstreamHandler {
  /** The request got a connection and is being sent (the connect phase is over). */
  onRequestStart?(): void;
  onStart(status: number, headers: UpstreamResponseHeaders): void;
  onData(chunk: Buffer): void;
  onEnd(): void;
  /** Not called after `abort()`. */
  onError(error: ProxyError): void;
}

/** Flow control over one upstream exchange. */
export interface UpstreamCall {
  pause(): void;
  resume(): void;
  /** Cancels the request and closes its socket; the handler gets no further callbacks. */
  abort(): void;
}

export interface UpstreamClientOptions {
  readonly connectTimeoutMs: number;
  readonly connections: number;
  readonly keepAliveTimeoutMs?: number;
}

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

export function upstreamFailure(err: unknown): ProxyError {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  const tag = typeof code === "string" ? code : "unknown";
  if (TIMEOUT_CODES.has(tag)) {
    return new ProxyError("upstream_timeout", `The upstream provider did not answer in time (${tag}).`);
  }
  return new ProxyError("upstream_unreachable", `The upstream provider could not be reached (${tag}).`);
}

class CancelledByClient extends Error {
  constructor() {
    super("request cancelled by the sidecar");
    this.name = "CancelledByClient";
  }
}

/** What a finished bridge points at instead of its handler. */
const DETACHED: UpstreamHandler = { onStart() {}, onData() {}, onEnd() {}, onError() {} };

class Bridge implements Dispatcher.DispatchHandler, UpstreamCall {
  private controller: Dispatcher.DispatchController | null = null;
  private cancelled = false;
  private wantPaused = false;

  constructor(private handler: UpstreamHandler) {}

  /** The exchange is over: undici's request object may outlive it, the handler need not. */
  private detach(): UpstreamHandler {
    const handler = this.handler;
    this.handler = DETACHED;
    this.controller = null;
    return handler;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.cancelled) controller.abort(new CancelledByClient());
    else if (this.wantPaused) controller.pause();
    if (!this.cancelled) this.handler.onRequestStart?.();
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: UpstreamResponseHeaders): void {
    if (!this.cancelled) this.handler.onStart(status, headers);
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.cancelled) this.handler.onData(chunk);
  }

  onResponseEnd(): void {
    const handler = this.detach();
    if (!this.cancelled) handler.onEnd();
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    const handler = this.detach();
    if (!this.cancelled) handler.onError(upstreamFailure(error));
  }

  pause(): void {
    this.wantPaused = true;
    this.controller?.pause();
  }

  resume(): void {
    this.wantPaused = false;
    this.controller?.resume();
  }

  abort(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.controller?.abort(new CancelledByClient());
  }
}

export class UpstreamClient {
  private readonly agent: Agent;

  constructor(options: UpstreamClientOptions) {
    this.agent = new Agent({
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      connect: { timeout: options.connectTimeoutMs },
    });
  }

  send(options: UpstreamCallOptions, handler: UpstreamHandler): UpstreamCall {
    const bridge = new Bridge(handler);
    try {
      this.agent.dispatch(
        {
          origin: options.origin,
          path: options.path,
          method: options.method,
          headers: options.headers as string[],
          body: options.body,
          headersTimeout: options.headersTimeoutMs,
          bodyTimeout: options.bodyTimeoutMs,
        },
        bridge,
      );
    } catch (err) {
      queueMicrotask(() => bridge.onResponseError(null as unknown as Dispatcher.DispatchController, err as Error));
    }
    return bridge;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  async destroy(): Promise<void> {
    await this.agent.destroy();
  }
}
