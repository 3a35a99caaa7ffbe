import type { ProviderAdapter, ResponseContext } from "../types";
import { mapError } from "./errors";
import { NATIVE_MESSAGES } from "./inbound/native";
import { buildChatRequest, prepareDeployment } from "./request";
import { parseChatResponse } from "./response";
import { AnthropicStreamDecoder, type AnthropicStreamOptions } from "./stream";

/** Anthropic Messages API (`POST /v1/messages`): OpenAI chat completions in and out, translated;
 * inbound Messages requests passed through natively. */
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
    native: Object.freeze({ messages: NATIVE_MESSAGES }),
  });
}
