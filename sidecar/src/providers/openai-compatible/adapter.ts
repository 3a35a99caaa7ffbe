import type { ProviderAdapter, StreamOptions } from "../types";
import { buildChatRequest, prepareDeployment } from "./request";
import { mapError, parseChatResponse } from "./response";
import { OpenAiStreamDecoder } from "./stream";

/** The base most vendors reuse: OpenAI chat-completions wire format, bearer auth, bytes forwarded as-is. */
export function createOpenAiCompatibleAdapter(id: string): ProviderAdapter {
  return Object.freeze({
    id,
    capabilities: Object.freeze({ chat: true, chatStream: true }),
    streamContentType: "text/event-stream",
    prepare: prepareDeployment,
    buildChatRequest,
    parseChatResponse,
    createStreamDecoder: (options: StreamOptions) => new OpenAiStreamDecoder(options),
    mapError,
  });
}
