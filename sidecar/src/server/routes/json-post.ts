import { proxyError } from "../../errors/proxy-error";
import type { ChatPipeline } from "../../pipeline/chat";
import { RequestContext } from "../../pipeline/context";
import type { ResponseSink } from "../../pipeline/sink";
import { declaredLength, readBody } from "../body";
import { acceptRequestId } from "../request-id";
import { UwsSink } from "../sink";
import type { HttpRequest, HttpResponse } from "../uws";

export interface JsonPostEndpoint {
  /** Metric label, e.g. "chat_completions". */
  readonly route: string;
  /** Path recorded as the usage record's endpoint, e.g. "/v1/chat/completions". */
  readonly endpoint: string;
  /** The body has been read. */
  run(ctx: RequestContext, sink: ResponseSink, body: Buffer): void;
}

/**
 * uWS handler for a JSON POST endpoint. All HttpRequest reads happen synchronously here (the request object is
 * stack-allocated); rejections that need no body (not ready, auth, media type, declared size) answer before
 * reading it.
 */
export function jsonPostHandler(pipeline: ChatPipeline, maxBodyBytes: number, endpoint: JsonPostEndpoint) {
  return (res: HttpResponse, req: HttpRequest): void => {
    const ctx = new RequestContext(
      acceptRequestId(req.getHeader("x-request-id")),
      endpoint.route,
      endpoint.endpoint,
      req.getHeader("authorization"),
      req.getHeader("content-type"),
      performance.now(),
    );
    const length = declaredLength(req.getHeader("content-length"));
    const sink = new UwsSink(res, ctx.requestId);
    const early = pipeline.beforeBody(ctx);
    if (early !== null) {
      pipeline.reject(ctx, sink, early, length !== 0);
      return;
    }
    if (length > maxBodyBytes) {
      pipeline.reject(ctx, sink, proxyError("request_too_large"), true);
      return;
    }
    res.onAborted(() => sink.markAborted());
    readBody(
      res,
      length,
      maxBodyBytes,
      (body) => endpoint.run(ctx, sink, body),
      () => pipeline.reject(ctx, sink, proxyError("request_too_large"), true),
    );
  };
}
