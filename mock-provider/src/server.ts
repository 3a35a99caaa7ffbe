import * as uws from "uWebSockets.js";
import { invalidJson, methodNotAllowed, payloadTooLarge, unknownUrl } from "./errors";
import { handleChat, handleEmbeddings, handleModel, headerOverrides, modelsList, parseJsonBody, type HandlerEnv } from "./handlers";
import { readBody, readHeaders, RequestCtx, sendError, sendJson } from "./http-io";
import { StatsRecorder } from "./stats";
import type { MockProviderHandle, MockProviderOptions, MockRequestInfo } from "./types";

export type { MockProviderHandle, MockProviderOptions, MockStats, MockRequestInfo } from "./types";

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const KNOWN: Record<string, string> = {
  "/v1/chat/completions": "post",
  "/v1/embeddings": "post",
  "/v1/models": "get",
  "/mock/stats": "get",
  "/mock/reset": "post",
};

/** Start the built-in OpenAI-compatible mock provider (uWebSockets.js). Port 0 picks a free port. */
export async function startMockProvider(opts: MockProviderOptions = {}): Promise<MockProviderHandle> {
  const host = opts.host ?? "127.0.0.1";
  const stats = new StatsRecorder();
  const active = new Set<RequestCtx>();
  let completionSeq = 0;
  let toolCallSeq = 0;
  let requestSeq = 0;
  const env: HandlerEnv = {
    latencyMs: opts.latencyMs ?? 0,
    chunkDelayMs: opts.chunkDelayMs ?? 0,
    chunks: opts.chunks,
    stats,
    nextCompletionId: () => `chatcmpl-mock-${++completionSeq}`,
    nextToolCallId: () => `call_mock_${++toolCallSeq}`,
  };
  const reset = (): void => {
    stats.reset();
    completionSeq = 0;
    toolCallSeq = 0;
  };

  const app = uws.App();
  app.any("/*", (res, req) => {
    // Everything from `req` must be read here, synchronously.
    const method = req.getMethod();
    const path = req.getUrl();
    const query = req.getQuery();
    const stream = { active: false };
    const ctx = new RequestCtx(res, `req_mock_${++requestSeq}`, (c) => {
      active.delete(c);
      if (c.closedByMock) return;
      if (stream.active) stats.streamAborted();
      else stats.requestAborted();
    });
    active.add(ctx);
    const done = (): void => {
      if (ctx.finished) active.delete(ctx);
    };

    if (path === "/mock/stats" && method === "get") return sendJson(ctx, 200, stats.snapshot()), done();
    if (path === "/mock/reset" && method === "post") return reset(), sendJson(ctx, 200, { status: "ok" }), done();

    const headers = readHeaders(req);
    const info: MockRequestInfo = { method: method.toUpperCase(), path, query, headers, body: undefined };
    stats.request(info);
    const overrides = headerOverrides(headers);

    if (method === "get" && path === "/v1/models") return sendJson(ctx, 200, modelsList()), done();
    if (method === "get" && path.startsWith("/v1/models/")) {
      return handleModel(ctx, decodeURIComponent(path.slice("/v1/models/".length))), done();
    }
    const expected = KNOWN[path];
    if (expected === undefined) return sendError(ctx, unknownUrl(info.method, path)), done();
    if (expected !== method) return sendError(ctx, methodNotAllowed(info.method, path)), done();

    readBody(ctx, MAX_BODY_BYTES, (raw) => {
      if (raw === null) return sendError(ctx, payloadTooLarge(MAX_BODY_BYTES)), done();
      const body = parseJsonBody(env, info, raw);
      if (!body.ok) return sendError(ctx, invalidJson()), done();
      const work =
        path === "/v1/chat/completions"
          ? handleChat(env, ctx, body.value, overrides, stream)
          : handleEmbeddings(env, ctx, body.value, overrides);
      work.then(done, (err: unknown) => {
        if (ctx.alive) sendJson(ctx, 500, { error: { message: String(err), type: "server_error", param: null, code: null } });
        done();
      });
    });
  });

  const listenSocket = await new Promise<uws.us_listen_socket>((resolve, reject) => {
    app.listen(host, opts.port ?? 0, (s) => (s ? resolve(s) : reject(new Error(`mock provider: cannot listen on ${host}:${opts.port ?? 0}`))));
  });
  const port = uws.us_socket_local_port(listenSocket);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;

  return {
    port,
    url,
    baseUrl: `${url}/v1`,
    stats: () => stats.snapshot(),
    reset,
    close: () => {
      closed ??= (async () => {
        uws.us_listen_socket_close(listenSocket);
        for (const ctx of [...active]) ctx.kill();
        active.clear();
        // Closes remaining (idle keep-alive) sockets; present at runtime, missing from the typings.
        (app as unknown as { close?: () => void }).close?.();
      })();
      return closed;
    },
  };
}
