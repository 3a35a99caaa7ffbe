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

// Header names read on every request, as bytes: uWS converts a string name to UTF-8 in a fresh
// allocation on every getHeader (~55 ns each, measured in-process alternating per request).
const REQUEST_ID = Buffer.from("x-request-id");
const AUTHORIZATION = Buffer.from("authorization");
const CONTENT_TYPE = Buffer.from("content-type");
const CONTENT_LENGTH = Buffer.from("content-length");
const TAGS = Buffer.from(TAGS_HEADER);
const API_KEY = Buffer.from("x-api-key");

interface CapturedName {
  readonly name: string;
  readonly bytes: Buffer;
}

function captureHeaders(req: HttpRequest, names: readonly CapturedName[]): Readonly<Record<string, string>> | null {
  let out: Record<string, string> | null = null;
  for (const { name, bytes } of names) {
    const value = req.getHeader(bytes);
    if (value !== "") (out ??= {})[name] = value;
  }
  return out;
}

/**
 * uWS handler. All HttpRequest reads happen synchronously here (the request object is stack-allocated);
 * rejections that need no body (not ready, auth, media type, declared size) answer before reading it.
 */
export function jsonPostHandler(pipeline: ChatPipeline, maxBodyBytes: number, bodyTimeoutMs: number, route: JsonPostRoute) {
  const clientHeaders = route.clientHeaders.map((name) => ({ name, bytes: Buffer.from(name) }));
  return (res: HttpResponse, req: HttpRequest): void => {
    const ctx = new RequestContext(
      acceptRequestId(req.getHeader(REQUEST_ID)),
      route.label,
      route.path,
      req.getHeader(AUTHORIZATION),
      req.getHeader(CONTENT_TYPE),
      performance.now(),
    );
    ctx.tagsHeader = req.getHeader(TAGS);
    if (route.apiKeyHeader) ctx.apiKey = req.getHeader(API_KEY);
    const captured = captureHeaders(req, clientHeaders);
    if (captured !== null) ctx.clientHeaders = captured;
    const length = declaredLength(req.getHeader(CONTENT_LENGTH));
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
