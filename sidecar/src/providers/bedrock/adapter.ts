import type { ProviderAdapter, ResponseContext, StreamOptions } from "../types";
import { bedrockEmbeddings } from "./embeddings";
import { mapError } from "./errors";
import { buildChatRequest } from "./request";
import { parseChatResponse } from "./response";
import { BedrockStreamDecoder } from "./stream";
import { prepareBedrock } from "./target";

/** Content type of a successful ConverseStream response. */
export const EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

/** AWS Bedrock Runtime Converse / ConverseStream (register under the id "bedrock"). */
export function createBedrockAdapter(id = "bedrock"): ProviderAdapter {
  return Object.freeze({
    id,
    capabilities: Object.freeze({ chat: true, chatStream: true }),
    streamContentType: EVENT_STREAM_CONTENT_TYPE,
    prepare: prepareBedrock,
    buildChatRequest,
    parseChatResponse: (body: Uint8Array, context?: ResponseContext) => parseChatResponse(body, context?.now, context?.model || undefined),
    createStreamDecoder: (options: StreamOptions) => new BedrockStreamDecoder(options),
    mapError,
    embeddings: bedrockEmbeddings,
  });
}

export const bedrockAdapter: ProviderAdapter = createBedrockAdapter();
