/**
 * POST /v1/embeddings: the shared before-body stages and in-flight accounting of the core pipeline, its own
 * stages (parse, route, capability check), then the batches fanned out through the target's adapter.
 */
import type { EmbeddingInput } from "../providers/types";
import type { SidecarMetrics } from "../telemetry/metrics";
import type { UpstreamClient } from "../upstream/agent";
import type { ChatPipeline, Dispatch } from "./chat";
import { composeStages, type Stage } from "./compose";
import type { RequestContext } from "./context";
import { EmbeddingsFanOut, type EmbeddingsBatch } from "./embeddings-fan-out";
import type { ResponseSink } from "./sink";
import { parseEmbeddingsBody, requireEmbeddings } from "./stages/embeddings-body";
import { resolveRoute } from "./stages/route";

/** Upstream calls one embeddings request keeps in flight at once (further batches wait for a free slot). */
export const EMBEDDINGS_CONCURRENCY = 4;

export interface EmbeddingsPipelineDeps {
  /** Owns auth, rejection, in-flight tracking and accounting for every endpoint. */
  readonly core: ChatPipeline;
  readonly upstream: UpstreamClient;
  readonly metrics: SidecarMetrics;
  readonly upstreamTimeoutMs: number;
  readonly upstreamBodyTimeoutMs: number;
  readonly concurrency?: number;
}

/** Consecutive slices of at most `limit` inputs. */
export function splitInputs(inputs: readonly EmbeddingInput[], limit: number): { start: number; inputs: readonly EmbeddingInput[] }[] {
  const size = Math.max(1, limit);
  const out: { start: number; inputs: readonly EmbeddingInput[] }[] = [];
  for (let start = 0; start < inputs.length; start += size) out.push({ start, inputs: inputs.slice(start, start + size) });
  return out;
}

export class EmbeddingsPipeline {
  private readonly stages: Stage;

  constructor(private readonly deps: EmbeddingsPipelineDeps) {
    const limit = deps.core.limitStage;
    this.stages = composeStages(
      limit === null ? [parseEmbeddingsBody, resolveRoute, requireEmbeddings] : [parseEmbeddingsBody, resolveRoute, requireEmbeddings, limit],
    );
  }

  get core(): ChatPipeline {
    return this.deps.core;
  }

  /** The body has been read: validate, route, fan out. Never throws. */
  run(ctx: RequestContext, sink: ResponseSink, body: Buffer): void {
    this.deps.core.execute(ctx, sink, body, this.stages, this.dispatch);
  }

  /** Every batch request is built before the first is sent, so a parameter the provider rejects sends nothing. */
  private readonly dispatch: Dispatch = (ctx, sink, done) => {
    const finished = (): void => done(ctx);
    this.fanOut(ctx, sink).then(finished, finished);
  };

  private fanOut(ctx: RequestContext, sink: ResponseSink): Promise<void> {
    const target = ctx.target;
    const request = ctx.embeddings;
    const json = ctx.json;
    const body = ctx.body;
    const capability = target?.prepared.adapter.embeddings;
    if (target === null || request === null || json === null || body === null || capability === undefined) return Promise.resolve();
    const { adapter, deployment } = target.prepared;
    const slices = splitInputs(request.inputs, capability.batchLimit(target.upstreamModel));
    const whole = slices.length === 1;
    const batches: EmbeddingsBatch[] = slices.map((slice) => ({
      ...slice,
      request: capability.buildEmbeddingsRequest(deployment, {
        body,
        json,
        inputs: slice.inputs,
        whole,
        upstreamModel: target.upstreamModel,
        encoding: request.encoding,
        dimensions: request.dimensions,
        now: ctx.startedAtMs,
      }),
    }));
    ctx.attempts = 1;
    const { upstream, metrics } = this.deps;
    const headersTimeoutMs = target.timeoutMs > 0 ? target.timeoutMs : this.deps.upstreamTimeoutMs;
    const fanOut = new EmbeddingsFanOut(ctx, sink, batches, request.inputs.length, {
      adapter,
      capability,
      concurrency: this.deps.concurrency ?? EMBEDDINGS_CONCURRENCY,
      send: (r, handler) =>
        upstream.send(
          { origin: deployment.origin, path: r.path, method: r.method, headers: r.headers, body: r.body, headersTimeoutMs, bodyTimeoutMs: this.deps.upstreamBodyTimeoutMs },
          handler,
        ),
      onHeaders: (sentAt) => metrics.observeUpstreamLatency(target.provider, (performance.now() - sentAt) / 1000),
    });
    return fanOut.start();
  }
}
