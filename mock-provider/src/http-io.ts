import { STATUS_CODES } from "node:http";
import type { HttpRequest, HttpResponse } from "uWebSockets.js";
import { errorBody, type MockError } from "./errors";

/** Per-request state shared by the handlers; created synchronously in the uWS route callback. */
export class RequestCtx {
  aborted = false;
  finished = false;
  /** Set when the mock itself closed the socket (close-mid-stream, server shutdown): not a client abort. */
  closedByMock = false;
  private timers = new Set<NodeJS.Timeout>();
  private waiters = new Set<(alive: boolean) => void>();

  constructor(
    readonly res: HttpResponse,
    readonly requestId: string,
    private readonly onAbort: (ctx: RequestCtx) => void,
  ) {
    res.onAborted(() => {
      this.aborted = true;
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      for (const w of this.waiters) w(false);
      this.waiters.clear();
      this.onAbort(this);
    });
  }

  get alive(): boolean {
    return !this.aborted && !this.finished;
  }

  /** Resolves true after `ms`, or false as soon as the client goes away. */
  wait(ms: number): Promise<boolean> {
    if (this.aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.waiters.delete(resolve);
        resolve(!this.aborted);
      }, ms);
      this.timers.add(t);
      this.waiters.add(resolve);
    });
  }

  /** Resolves true once uWS reports the socket writable again (after backpressure), false on abort. */
  drained(): Promise<boolean> {
    if (this.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.waiters.add(resolve);
      this.res.onWritable(() => {
        // Resume outside uWS's writable dispatch: writing (and re-registering onWritable) from inside it
        // can leave the new handler unarmed.
        setImmediate(() => {
          this.waiters.delete(resolve);
          resolve(!this.aborted);
        });
        return true;
      });
    });
  }

  /** Close the connection from the mock's side (counts as closedByMock, not as a client abort). */
  kill(): void {
    if (this.aborted || this.finished) return;
    this.closedByMock = true;
    this.res.close();
  }
}

export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? "Unknown"}`;
}

export function readHeaders(req: HttpRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  req.forEach((k, v) => {
    headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
  });
  return headers;
}

/** Collect the request body (copying uWS's transient buffers); `null` when it exceeds `limit`. */
export function readBody(ctx: RequestCtx, limit: number, done: (body: Buffer | null) => void): void {
  const parts: Buffer[] = [];
  let size = 0;
  let over = false;
  ctx.res.onData((chunk, isLast) => {
    if (!over) {
      size += chunk.byteLength;
      if (size > limit) over = true;
      else parts.push(Buffer.from(Buffer.from(chunk)));
    }
    if (isLast) done(over ? null : parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size));
  });
}

export function send(
  ctx: RequestCtx,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (!ctx.alive) return;
  ctx.res.cork(() => {
    ctx.res.writeStatus(statusLine(status));
    ctx.res.writeHeader("content-type", contentType);
    ctx.res.writeHeader("x-request-id", ctx.requestId);
    for (const [k, v] of Object.entries(headers)) ctx.res.writeHeader(k, v);
    ctx.res.end(body);
  });
  ctx.finished = true;
}

export function sendJson(ctx: RequestCtx, status: number, body: unknown, headers?: Record<string, string>): void {
  send(ctx, status, "application/json", typeof body === "string" ? body : JSON.stringify(body), headers);
}

export function sendError(ctx: RequestCtx, e: MockError): void {
  send(ctx, e.status, "application/json", errorBody(e), e.headers);
}

/** Start a chunked response and write `text` without ending it (used by close/stall directives). */
export function writePartial(ctx: RequestCtx, contentType: string, text: string): void {
  if (!ctx.alive) return;
  ctx.res.cork(() => {
    ctx.res.writeStatus("200 OK");
    ctx.res.writeHeader("content-type", contentType);
    ctx.res.writeHeader("x-request-id", ctx.requestId);
    ctx.res.write(text);
  });
}
