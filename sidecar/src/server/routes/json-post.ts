import type { ErrorDialect } from "../../errors/dialect";
import { proxyError } from "../../errors/proxy-error";
import type { ChatPipeline } from "../../pipeline/chat";
import { RequestContext } from "../../pipeline/context";
import type { ResponseSink } from "../../pipeline/sink";
import { TAGS_HEADER } from "../../pipeline/tags";
import { declaredLength, readBody, type BodyCallbacks } from "../body";
import { acceptRequestId } from "../request-id";
import { UwsSink } from "../sink";
import type { HttpRequest, HttpResponse } from "../uws";

/** How one JSON POST endpoint is served. */
export interface JsonPostRoute {
  /** Metric label, e.g. "chat_completions". */
  readonly label: string;
  /** The path, recorded as the usage `endpoint`. */
  readonly path: string;
  /** The body has been read: the endpoint's own pipeline (validate, route, dispatch, account). */
  run(ctx: RequestContext, sink: ResponseSink, body: Buffer): void;
  readonly dialect: ErrorDialect;
  /** Whether `x-api-key` is accepted besides `Authorization: Bearer`. */
  readonly apiKeyHeader: boolean;
  /** Client headers captured for native upstreams (lower-case names). */
  readonly clientHeaders: readonly string[];
}

function captureHeaders(req: HttpRequest, names: readonly string[]): Readonly<Record<string, string>> | null {
  let out: Record<string, string> | null = null;
  for (const name of names) {
    const value = req.getHeader(name);
    if (value !== "") (out ??= {})[name] = value;
  }
  return out;
}

/**
 * uWS handler. All HttpRequest reads happen synchronously here (the request object is stack-allocated);
 * rejections that need no body (not ready, auth, media type, declared size) answer before reading it.
 */
export function jsonPostHandler(pipeline: ChatPipeline, maxBodyBytes: number, bodyTimeoutMs: number, route: JsonPostRoute) {
  return (res: HttpResponse, req: HttpRequest): void => {
    const ctx = new RequestContext(
      acceptRequestId(req.getHeader("x-request-id")),
      route.label,
      route.path,
      req.getHeader("authorization"),
      req.getHeader("content-type"),
      performance.now(),
    );
    ctx.tagsHeader = req.getHeader(TAGS_HEADER);
    if (route.apiKeyHeader) ctx.apiKey = req.getHeader("x-api-key");
    const captured = captureHeaders(req, route.clientHeaders);
    if (captured !== null) ctx.clientHeaders = captured;
    const length = declaredLength(req.getHeader("content-length"));
    const sink = new UwsSink(res, ctx.requestId, route.dialect);
    sink.limitHeaders = ctx;
    const early = pipeline.beforeBody(ctx);
    if (early !== null) {
      pipeline.reject(ctx, sink, early, length !== 0);
      return;
    }
    if (length > maxBodyBytes) {
      pipeline.reject(ctx, sink, proxyError("request_too_large"), true);
      return;
    }
    const exchange = new PostExchange(pipeline, route, ctx, sink);
    res.onAborted(exchange.aborted);
    readBody(res, length, maxBodyBytes, bodyTimeoutMs, exchange);
  };
}

/**
 * One request's body callbacks, as one object (no closures per request). uWS holds it (the abort handler)
 * until the next request on the connection, so once the body is handed on it keeps only the sink.
 */
class PostExchange implements BodyCallbacks {
  readonly aborted = (): void => this.sink.markAborted();
  private ctx: RequestContext | null;

  constructor(
    private readonly pipeline: ChatPipeline,
    private readonly route: JsonPostRoute,
    ctx: RequestContext,
    private readonly sink: UwsSink,
  ) {
    this.ctx = ctx;
  }

  onBody(body: Buffer): void {
    const ctx = this.ctx;
    if (ctx === null) return;
    this.ctx = null;
    this.route.run(ctx, this.sink, body);
  }

  onTooLarge(): void {
    this.rejectWith("request_too_large");
  }

  onTimeout(): void {
    if (this.sink.aborted) return;
    this.rejectWith("request_timeout");
  }

  private rejectWith(code: "request_too_large" | "request_timeout"): void {
    const ctx = this.ctx;
    if (ctx === null) return;
    this.ctx = null;
    this.pipeline.reject(ctx, this.sink, proxyError(code), true);
  }
}
