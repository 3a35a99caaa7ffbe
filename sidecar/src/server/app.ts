/** The uWS app and its route table. Binds `config.host` (127.0.0.1 by default) only. */
import { OPENAI_DIALECT, type ErrorDialect } from "../errors/dialect";
import { ProxyError, proxyError } from "../errors/proxy-error";
import { SURFACES } from "../providers/registry";
import type { ChatPipeline } from "../pipeline/chat";
import type { EmbeddingsPipeline } from "../pipeline/embeddings";
import { writeError, writeResponse } from "./respond";
import { MESSAGES_ENDPOINT, messagesHandler } from "./routes/messages";
import { acceptRequestId } from "./request-id";
import { CHAT_ENDPOINT, chatCompletionsHandler } from "./routes/chat-completions";
import { EMBEDDINGS_ENDPOINT, embeddingsHandler } from "./routes/embeddings";
import { healthzHandler, readyzHandler, type ReadinessSource } from "./routes/health";
import { modelsHandler } from "./routes/models";
import { App, listenSocketClose, socketLocalPort, type HttpRequest, type HttpResponse, type us_listen_socket } from "./uws";

export interface AppDeps {
  readonly pipeline: ChatPipeline;
  readonly embeddings: EmbeddingsPipeline;
  readonly readiness: ReadinessSource;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
}

export interface HttpListener {
  readonly port: number;
  /** Stops accepting new connections (existing keep-alive connections are untouched). */
  stopListening(): void;
}

function methodNotAllowed(allow: string, dialect: ErrorDialect = OPENAI_DIALECT) {
  const headers = Object.freeze(["content-type", "application/json", "allow", allow]);
  const body = dialect.errorBody(new ProxyError("method_not_allowed", `Method not allowed; use ${allow}.`));
  return (res: HttpResponse, req: HttpRequest): void => {
    const id = acceptRequestId(req.getHeader("x-request-id"));
    writeResponse(res, 405, id, headers, body, false, null, dialect.requestIdHeaders);
  };
}

function notFound(res: HttpResponse, req: HttpRequest): void {
  writeError(res, acceptRequestId(req.getHeader("x-request-id")), proxyError("not_found"));
}

export async function listenApp(host: string, port: number, deps: AppDeps): Promise<HttpListener> {
  const app = App()
    .post(CHAT_ENDPOINT, chatCompletionsHandler(deps.pipeline, deps.maxBodyBytes, deps.bodyTimeoutMs))
    .any(CHAT_ENDPOINT, methodNotAllowed("POST"))
    .post(EMBEDDINGS_ENDPOINT, embeddingsHandler(deps.embeddings, deps.maxBodyBytes, deps.bodyTimeoutMs))
    .any(EMBEDDINGS_ENDPOINT, methodNotAllowed("POST"))
    .post(MESSAGES_ENDPOINT, messagesHandler(deps.pipeline, deps.maxBodyBytes, deps.bodyTimeoutMs))
    .any(MESSAGES_ENDPOINT, methodNotAllowed("POST", SURFACES.messages.dialect))
    .get("/v1/models", modelsHandler(deps.pipeline))
    .any("/v1/models", methodNotAllowed("GET"))
    .get("/healthz", healthzHandler())
    .any("/healthz", methodNotAllowed("GET"))
    .get("/readyz", readyzHandler(deps.readiness))
    .any("/readyz", methodNotAllowed("GET"))
    .any("/*", notFound);
  const socket = await new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(host, port, (listenSocket) => {
      if (listenSocket === false) reject(new Error(`cannot listen on ${host}:${port}`));
      else resolve(listenSocket);
    });
  });
  let open = true;
  return {
    port: socketLocalPort(socket),
    stopListening(): void {
      if (!open) return;
      open = false;
      listenSocketClose(socket);
    },
  };
}
