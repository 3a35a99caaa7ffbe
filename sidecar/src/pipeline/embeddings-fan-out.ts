/**
 * One `/v1/embeddings` request as N upstream calls (batches), at most `concurrency` in flight, reassembled
 * in input order. Finishes exactly once: all batches parsed → one list (or the upstream bytes as they were
 * when a single call answered in the client's shape); the first failing batch → that error for the whole
 * request (calls in flight are cancelled, none are started); the client going away → everything cancelled.
 * Prompt tokens of the batches that completed are accounted in every case (the provider billed them).
 */
import { ProxyError } from "../errors/proxy-error";
import type { EmbeddingInput, EmbeddingsCapability, EmbeddingVector, ProviderAdapter, UpstreamRequest } from "../providers/types";
import { emptyUsage } from "../providers/types";
import type { UpstreamCall, UpstreamHandler } from "../upstream/agent";
import { BufferedCall, type BufferedResponse } from "./buffered-call";
import type { RequestContext } from "./context";
import { encodeEmbeddingsList } from "./embeddings-list";
import { JSON_HEADERS, RELAYED_UPSTREAM_ERROR } from "./relay";
import type { ResponseSink } from "./sink";

export interface EmbeddingsBatch {
  /** Index of the batch's first input in the client's list. */
  readonly start: number;
  readonly inputs: readonly EmbeddingInput[];
  readonly request: UpstreamRequest;
}

export interface FanOutDeps {
  readonly adapter: ProviderAdapter;
  readonly capability: EmbeddingsCapability;
  readonly concurrency: number;
  /** Starts one upstream call. */
  send(request: UpstreamRequest, handler: UpstreamHandler): UpstreamCall;
  /** Called when a batch's response headers arrive (upstream latency metric). */
  onHeaders(sentAt: number): void;
}

export class EmbeddingsFanOut {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly vectors: EmbeddingVector[];
  private readonly inFlight = new Set<BufferedCall>();
  private next = 0;
  private completed = 0;
  private promptTokens = 0;
  private model: string | null = null;
  private finished = false;

  constructor(
    private readonly ctx: RequestContext,
    private readonly sink: ResponseSink,
    private readonly batches: readonly EmbeddingsBatch[],
    total: number,
    private readonly deps: FanOutDeps,
  ) {
    this.vectors = new Array<EmbeddingVector>(total);
    this.done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
  }

  start(): Promise<void> {
    if (this.sink.aborted) this.clientAborted();
    else this.sink.onAbort(() => this.clientAborted());
    const first = Math.min(this.deps.concurrency, this.batches.length);
    for (let i = 0; i < first && !this.finished; i++) this.launch();
    return this.done;
  }

  private launch(): void {
    const batch = this.batches[this.next++] as EmbeddingsBatch;
    const sentAt = performance.now();
    const handler: BufferedCall = new BufferedCall(
      (result) => {
        this.inFlight.delete(handler);
        this.settle(batch, result);
      },
      () => this.deps.onHeaders(sentAt),
    );
    this.inFlight.add(handler);
    handler.attach(this.deps.send(batch.request, handler));
  }

  private settle(batch: EmbeddingsBatch, result: BufferedResponse | ProxyError): void {
    if (this.finished) return;
    if (result instanceof ProxyError) return this.fail(result);
    if (result.status < 200 || result.status >= 300) return this.upstreamError(result);
    const parsed = this.deps.capability.parseEmbeddingsResponse(result.body, {
      headers: result.headers,
      count: batch.inputs.length,
      inputs: batch.inputs,
      whole: this.batches.length === 1,
      encoding: this.ctx.embeddings?.encoding ?? "float",
    });
    if (!parsed.ok) return this.fail(new ProxyError("upstream_invalid_response", `The upstream provider returned an invalid embeddings response (${parsed.reason}).`));
    this.promptTokens += parsed.promptTokens;
    this.model ??= parsed.model;
    if (parsed.body !== null) return this.succeed(parsed.body);
    for (let i = 0; i < parsed.vectors.length; i++) this.vectors[batch.start + i] = parsed.vectors[i] as EmbeddingVector;
    this.completed++;
    if (this.completed === this.batches.length) return this.assemble();
    if (this.next < this.batches.length) this.launch();
  }

  private assemble(): void {
    const model = this.model ?? this.ctx.target?.upstreamModel ?? this.ctx.model;
    const body = encodeEmbeddingsList(this.vectors, this.ctx.embeddings?.encoding ?? "float", model, this.promptTokens);
    if (body === null) return this.fail(new ProxyError("upstream_invalid_response", "The upstream provider returned a malformed embedding vector."));
    this.succeed(body);
  }

  private succeed(body: Uint8Array): void {
    this.ctx.ttftMs = Math.max(1, Math.round(performance.now() - this.ctx.startTick));
    this.sink.send(200, JSON_HEADERS, body);
    this.finish(200, "");
  }

  private upstreamError(response: BufferedResponse): void {
    const mapped = this.deps.adapter.mapError(response.status, response.headers, response.body);
    if (mapped.kind === "code") return this.fail(new ProxyError(mapped.code, mapped.message ?? undefined));
    this.cancelInFlight();
    this.sink.send(mapped.status, mapped.headers, mapped.body);
    this.finish(mapped.status, RELAYED_UPSTREAM_ERROR);
  }

  private fail(error: ProxyError): void {
    this.cancelInFlight();
    this.sink.sendError(error);
    this.finish(error.status, error.code);
  }

  private clientAborted(): void {
    if (this.finished) return;
    this.cancelInFlight();
    this.finish(499, "client_closed_request");
  }

  private cancelInFlight(): void {
    for (const call of this.inFlight) call.abort();
    this.inFlight.clear();
  }

  private finish(status: number, code: string): void {
    if (this.finished) return;
    this.finished = true;
    this.ctx.status = status;
    this.ctx.errorCode = code;
    this.ctx.usage = { ...emptyUsage(), promptTokens: this.promptTokens };
    this.resolveDone();
  }
}
