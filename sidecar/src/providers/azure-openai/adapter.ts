import type { ProviderAdapter, StreamOptions } from "../types";
import { createCompatErrorMapper, createCompatResponseParser } from "../openai-compatible/compat-response";
import { NormalizingStreamDecoder, type StreamQuirks } from "../openai-compatible/normalizing-stream";
import { createCompatEmbeddings, OPENAI_EMBEDDINGS } from "../openai-compatible/embeddings";
import { azureEmbeddingsRoute, buildAzureRequest, prepareAzure } from "./request";

/**
 * Azure's Responsible-AI annotations (§2.2), removed byte-wise so the client sees plain OpenAI objects:
 * top-level `prompt_filter_results` and per-choice `content_filter_results`. Chunks that only carry
 * annotations (empty `id`, `choices: []` without usage, choices without `delta`) are dropped.
 */
export const AZURE_ANNOTATIONS: readonly string[] = Object.freeze(["prompt_filter_results", "content_filter_results"]);

const STREAM_QUIRKS: StreamQuirks = Object.freeze({ finishReasons: {}, exciseKeys: AZURE_ANNOTATIONS, dropAnnotationChunks: true });

/** Non-stream parser: annotations cut out byte-wise, then the pass-through usage fast path. */
export const parseAzureResponse = createCompatResponseParser({ finishReasons: {}, exciseKeys: AZURE_ANNOTATIONS });

export const azureOpenAiAdapter: ProviderAdapter = Object.freeze({
  id: "azure-openai",
  capabilities: Object.freeze({ chat: true, chatStream: true }),
  streamContentType: "text/event-stream",
  prepare: prepareAzure,
  buildChatRequest: buildAzureRequest,
  parseChatResponse: parseAzureResponse,
  createStreamDecoder: (options: StreamOptions) => new NormalizingStreamDecoder(options, STREAM_QUIRKS),
  // Azure error bodies have no `type` and status-like codes ("429"), so they are rebuilt; §8.7: negative
  // rate-limit values are dropped; the APIM request id is relayed as x-upstream-request-id.
  mapError: createCompatErrorMapper({ rateLimitHeaders: {}, requestIdHeaders: ["apim-request-id", "x-ms-request-id", "x-request-id"] }),
  // Azure serves OpenAI's embeddings API (2048 inputs, token ids, base64) on its deployment and v1 routes.
  embeddings: createCompatEmbeddings(OPENAI_EMBEDDINGS, azureEmbeddingsRoute),
});
