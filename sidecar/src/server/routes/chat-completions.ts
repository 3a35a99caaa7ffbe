import { proxyError } from "../../errors/proxy-error";
import type { ChatPipeline } from "../../pipeline/chat";
import { RequestContext } from "../../pipeline/context";
import { declaredLength, readBody } from "../body";
import { acceptRequestId } from "../request-id";
import { UwsSink } from "../sink";
import type { HttpRequest, HttpResponse } from "../uws";

export const CHAT_ENDPOINT = "/v1/chat/completions";

/**
 * uWS handler. All HttpRequest reads happen synchronously here (the request object is stack-allocated);
 * rejections that need no body (not ready, auth, media type, declared size) answer before reading it.
 */
export function chatCompletionsHandler(pipeline: ChatPipeline, maxBodyBytes: number) {
  return (res: HttpResponse, req: HttpRequest): void => {
    const ctx = new RequestContext(
      acceptRequestId(req.getHeader("x-request-id")),
      "chat_completions",
      CHAT_ENDPOINT,
      req.getHeader("authorization"),
      req.getHeader("content-type"),
      performance.now(),
    );
    const length = declaredLength(req.getHeader("content-length"));
    const sink = new UwsSink(res, ctx.requestId);
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
    res.onAborted(() => sink.markAborted());
    readBody(
      res,
      length,
      maxBodyBytes,
      (body) => pipeline.run(ctx, sink, body),
      () => pipeline.reject(ctx, sink, proxyError("request_too_large"), true),
    );
  };
}
