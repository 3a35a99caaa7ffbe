/**
 * One HTTP exchange as the load generators see it: an undici dispatch handler that records timestamps
 * (first body byte, every later chunk, end) without buffering the body, and checks the response shape
 * cheaply (status 200, non-empty body, the stream's end marker in its last bytes).
 */
import type { Dispatcher } from "undici";

/** What to send. `headers` is a flat `[name, value, …]` list, built once. */
export interface RequestSpec {
  readonly origin: string;
  readonly path: string;
  readonly headers: readonly string[];
  readonly body: Buffer;
  /** For streams: a string the last bytes must contain (`[DONE]`); null for JSON. */
  readonly streamEnd: string | null;
}

export interface ExchangeSink {
  done(x: Exchange): void;
  /** Called for every body chunk after the first (inter-chunk gap in ms), only for measured exchanges. */
  gap?(ms: number): void;
}

const TAIL = 48;

export class Exchange implements Dispatcher.DispatchHandler {
  status = 0;
  firstByteAt = 0;
  endAt = 0;
  bytes = 0;
  /** null = success. */
  error: string | null = null;
  private lastChunkAt = 0;
  private tail = "";
  private controller: Dispatcher.DispatchController | null = null;
  private settled = false;

  constructor(
    readonly intended: number,
    readonly measured: boolean,
    private readonly spec: RequestSpec,
    private readonly sink: ExchangeSink,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number): void {
    this.status = status;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    const now = performance.now();
    if (this.firstByteAt === 0) this.firstByteAt = now;
    else if (this.measured && this.sink.gap) this.sink.gap(now - this.lastChunkAt);
    this.lastChunkAt = now;
    this.bytes += chunk.length;
    if (this.spec.streamEnd !== null) {
      const text = chunk.length > TAIL ? chunk.toString("latin1", chunk.length - TAIL) : chunk.toString("latin1");
      this.tail = (this.tail + text).slice(-TAIL);
    }
  }

  onResponseEnd(): void {
    this.endAt = performance.now();
    if (this.status !== 200) this.error = `status_${this.status}`;
    else if (this.bytes === 0) this.error = "empty_body";
    else if (this.spec.streamEnd !== null && !this.tail.includes(this.spec.streamEnd)) this.error = "stream_incomplete";
    this.settle();
  }

  onResponseError(_c: Dispatcher.DispatchController | null, error: Error): void {
    this.endAt = performance.now();
    const code = (error as { code?: unknown }).code;
    this.error ??= typeof code === "string" ? code : error.name;
    this.settle();
  }

  /** Marks the exchange as timed out and aborts it (its error callback then settles it). */
  timeout(): void {
    if (this.settled) return;
    this.error = "timeout";
    this.controller?.abort(new Error("benchmark deadline"));
  }

  get isSettled(): boolean {
    return this.settled;
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.sink.done(this);
  }
}

export function dispatchOptions(spec: RequestSpec): Dispatcher.DispatchOptions {
  return { method: "POST", path: spec.path, headers: spec.headers as string[], body: spec.body };
}
