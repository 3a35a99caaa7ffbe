import type { ChatInput, DeploymentSpec, EmbeddingsCapability, PreparedDeployment, ProviderAdapter, StreamOptions } from "../types";
import { createCompatErrorMapper, createCompatResponseParser } from "./compat-response";
import { createCompatEmbeddings, OPENAI_EMBEDDINGS, siblingPath, type EmbeddingsQuirks } from "./embeddings";
import { NormalizingStreamDecoder } from "./normalizing-stream";
import { buildChatRequest, prepareDeployment } from "./request";
import { mapError, parseChatResponse } from "./response";
import { OpenAiStreamDecoder } from "./stream";
import type { VendorQuirks } from "./vendor-quirks";
import { createVendorBody } from "./vendor-request";

/**
 * The base most vendors reuse: OpenAI chat-completions wire format, bearer auth, bytes forwarded as-is.
 * Without `quirks` this is OpenAI's own behaviour; with a vendors.ts row the same building blocks honour it.
 */
/** OpenAI's own API, used when a deployment leaves base_url empty. */
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
const OPENAI_STYLE = Object.freeze({ defaultBaseUrl: OPENAI_DEFAULT_BASE_URL });

export function createOpenAiCompatibleAdapter(id: string, quirks?: VendorQuirks): ProviderAdapter {
  if (quirks !== undefined) return createVendorAdapter(id, quirks);
  return Object.freeze({
    id,
    capabilities: Object.freeze({ chat: true, chatStream: true }),
    streamContentType: "text/event-stream",
    prepare: (deployment: DeploymentSpec, secrets: Readonly<Record<string, string>> | null) => prepareDeployment(deployment, secrets, OPENAI_STYLE),
    buildChatRequest,
    parseChatResponse,
    createStreamDecoder: (options: StreamOptions) => new OpenAiStreamDecoder(options),
    mapError,
    embeddings: compatEmbeddings(OPENAI_EMBEDDINGS),
  });
}

function createVendorAdapter(id: string, q: VendorQuirks): ProviderAdapter {
  const style = Object.freeze({ defaultBaseUrl: q.defaultBaseUrl, optionHeaders: q.optionHeaders, keyOptional: q.auth === "bearer-optional" });
  const body = createVendorBody(q);
  const streamQuirks = Object.freeze({ finishReasons: q.finishReasons, exciseKeys: [], dropAnnotationChunks: false });
  return Object.freeze({
    id,
    capabilities: Object.freeze({ chat: true, chatStream: true }),
    streamContentType: "text/event-stream",
    prepare: (deployment, secrets) => prepareDeployment(deployment, secrets, style),
    buildChatRequest: (target: PreparedDeployment, input: ChatInput) => ({
      method: "POST" as const,
      path: target.chatPath,
      headers: target.headers,
      body: body(input),
    }),
    parseChatResponse: createCompatResponseParser({ finishReasons: q.finishReasons, exciseKeys: [] }),
    createStreamDecoder: (options: StreamOptions) => new NormalizingStreamDecoder(options, streamQuirks),
    mapError: createCompatErrorMapper({ rateLimitHeaders: q.rateLimitHeaders, requestIdHeaders: ["x-request-id"] }),
    ...(q.embeddings !== null ? { embeddings: compatEmbeddings(q.embeddings) } : {}),
  } satisfies ProviderAdapter);
}

/** `{base}/embeddings` with the upstream model as `model`. */
function compatEmbeddings(q: EmbeddingsQuirks): EmbeddingsCapability {
  return createCompatEmbeddings(q, (target, input) => ({ path: siblingPath(target.chatPath, "/embeddings"), model: input.upstreamModel }));
}
