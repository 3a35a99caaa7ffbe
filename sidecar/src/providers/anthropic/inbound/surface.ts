/**
 * The inbound Messages API surface (`POST /v1/messages`): the body check, the translation to and from the
 * canonical chat form for providers that do not speak it, and Anthropic-shaped errors.
 */
import type { InboundSurface, ParsedResponse, ResponseCodec, ResponseContext, StreamDecoder, StreamOptions } from "../../types";
import { checkMessagesBody } from "./check";
import { MESSAGES_DIALECT, fromOpenAiErrorBody } from "./errors";
import { FORWARDED_HEADERS } from "./native";
import { messagesToChat } from "./request";
import { chatToMessage } from "./response";
import { ChatToMessagesStream } from "./stream";

/** A canonical stream decoder whose output is re-spelled as Messages events; usage is the inner decoder's. */
class TranslatedStreamDecoder implements StreamDecoder {
  constructor(
    private readonly inner: StreamDecoder,
    private readonly translator: ChatToMessagesStream,
  ) {}

  get usage() {
    return this.inner.usage;
  }
  get finishReason() {
    return this.inner.finishReason;
  }
  get started() {
    return this.inner.started;
  }

  push(chunk: Uint8Array): Uint8Array | null {
    const canonical = this.inner.push(chunk);
    return canonical === null ? null : this.translator.push(canonical);
  }

  end(): Uint8Array | null {
    const canonical = this.inner.end();
    const head = canonical === null ? null : this.translator.push(canonical);
    const tail = this.translator.end();
    if (head === null) return tail;
    return tail === null ? head : Buffer.concat([head, tail]);
  }
}

/** Wraps a canonical response codec: completions become Messages, chunks become Messages events, errors Anthropic-shaped. */
export function messagesFromCanonical(codec: ResponseCodec): ResponseCodec {
  return {
    streamContentType: codec.streamContentType,
    parseChatResponse(body: Uint8Array, context?: ResponseContext): ParsedResponse {
      const parsed = codec.parseChatResponse(body, context);
      if (!parsed.ok) return parsed;
      const message = chatToMessage(parsed.body, context?.model ?? "unknown");
      if (message === null) return { ok: false, reason: "response is not a chat completion" };
      return { ok: true, body: message, usage: parsed.usage, finishReason: parsed.finishReason };
    },
    createStreamDecoder(options: StreamOptions): StreamDecoder {
      const inner = codec.createStreamDecoder({ ...options, clientIncludeUsage: true });
      return new TranslatedStreamDecoder(inner, new ChatToMessagesStream(options.model ?? "unknown"));
    },
    mapError(status, headers, body) {
      const mapped = codec.mapError(status, headers, body);
      return mapped.kind === "code" ? mapped : { ...mapped, body: fromOpenAiErrorBody(mapped.status, mapped.body) };
    },
  };
}

export const MESSAGES_SURFACE: InboundSurface = Object.freeze({
  id: "messages",
  clientHeaders: FORWARDED_HEADERS,
  dialect: MESSAGES_DIALECT,
  checkBody: checkMessagesBody,
  toCanonical: messagesToChat,
  fromCanonical: messagesFromCanonical,
});
