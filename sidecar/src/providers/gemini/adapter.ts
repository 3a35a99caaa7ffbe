/**
 * The Google adapters: `gemini` (Generative Language API, API key) and `vertex` (Vertex AI, OAuth2
 * access token). Same request/response/stream translation; they differ in `prepare` (host, path,
 * auth — see deployment.ts) and in which remote file URIs content parts may reference (parts.ts).
 */
import type { ProviderAdapter, StreamOptions } from "../types";
import { prepareGemini, prepareVertex } from "./deployment";
import { createGoogleEmbeddings } from "./embeddings";
import { createErrorMapper } from "./errors";
import { buildChatRequest } from "./request";
import { parseChatResponse } from "./response";
import { GeminiStreamDecoder } from "./stream";

function createGoogleAdapter(id: "gemini" | "vertex", label: string, prepare: ProviderAdapter["prepare"]): ProviderAdapter {
  return Object.freeze({
    id,
    capabilities: Object.freeze({ chat: true, chatStream: true }),
    streamContentType: "text/event-stream",
    prepare,
    buildChatRequest,
    parseChatResponse,
    createStreamDecoder: (options: StreamOptions) => new GeminiStreamDecoder(options, label),
    mapError: createErrorMapper(label),
    embeddings: createGoogleEmbeddings(id),
  });
}

export const geminiAdapter: ProviderAdapter = createGoogleAdapter("gemini", "Gemini API", prepareGemini);
export const vertexAdapter: ProviderAdapter = createGoogleAdapter("vertex", "Vertex AI", prepareVertex);
