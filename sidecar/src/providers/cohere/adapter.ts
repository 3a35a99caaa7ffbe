import type { ProviderAdapter, ResponseContext } from "../types";
import { cohereEmbeddings } from "./embeddings";
import { mapCohereError } from "./errors";
import { buildCohereRequest, prepareCohere } from "./request";
import { parseCohereResponse } from "./response";
import { CohereStreamDecoder, type CohereStreamOptions } from "./stream";

/** Cohere v2 chat (`POST /v2/chat`, SSE streaming), translated to and from OpenAI chat completions. */
export const cohereAdapter: ProviderAdapter = Object.freeze({
  id: "cohere",
  capabilities: Object.freeze({ chat: true, chatStream: true }),
  streamContentType: "text/event-stream",
  prepare: prepareCohere,
  buildChatRequest: buildCohereRequest,
  parseChatResponse: (body: Uint8Array, context?: ResponseContext) => parseCohereResponse(body, context?.now, context?.model || undefined),
  createStreamDecoder: (options: CohereStreamOptions) => new CohereStreamDecoder(options),
  mapError: mapCohereError,
  embeddings: cohereEmbeddings,
});
