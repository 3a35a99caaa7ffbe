import type { ProviderAdapter, ResponseContext } from "../types";
import { mapError } from "./errors";
import { buildChatRequest, prepareDeployment } from "./request";
import { parseChatResponse } from "./response";
import { AnthropicStreamDecoder, type AnthropicStreamOptions } from "./stream";

/** Anthropic Messages API (`POST /v1/messages`): OpenAI chat completions in and out, translated. */
export function createAnthropicAdapter(id = "anthropic"): ProviderAdapter {
  return Object.freeze({
    id,
    capabilities: Object.freeze({ chat: true, chatStream: true }),
    streamContentType: "text/event-stream",
    prepare: prepareDeployment,
    buildChatRequest,
    parseChatResponse: (body: Uint8Array, context?: ResponseContext) => parseChatResponse(body, context?.now),
    createStreamDecoder: (options: AnthropicStreamOptions) => new AnthropicStreamDecoder(options),
    mapError,
  });
}
