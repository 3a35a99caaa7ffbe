/** The narrow hand-written check of an inbound Messages body: the fields the sidecar itself relies on. */
import { ProxyError } from "../../../errors/proxy-error";
import { isRecord } from "../../shared/json-bytes";
import type { SurfaceFields } from "../../types";

function invalid(message: string, param: string | null): ProxyError {
  return new ProxyError("invalid_request", message, param);
}

/** model, max_tokens and messages (user, assistant and inline system turns) are required (as the Messages API requires them); stream must be boolean. */
export function checkMessagesBody(json: unknown): SurfaceFields | ProxyError {
  if (!isRecord(json)) return invalid("The request body must be a JSON object.", null);
  const model = json["model"];
  if (typeof model !== "string" || model === "") return invalid("model: must be a non-empty string.", "model");
  const maxTokens = json["max_tokens"];
  if (!Number.isInteger(maxTokens) || (maxTokens as number) < 1) return invalid("max_tokens: must be a positive integer.", "max_tokens");
  const messages = json["messages"];
  if (!Array.isArray(messages) || messages.length === 0) return invalid("messages: must be a non-empty array.", "messages");
  for (let i = 0; i < messages.length; i++) {
    const m: unknown = messages[i];
    if (!isRecord(m) || (m["role"] !== "user" && m["role"] !== "assistant" && m["role"] !== "system")) {
      return invalid(`messages.${i}.role: must be 'user', 'assistant' or 'system'.`, `messages.${i}.role`);
    }
    const content = m["content"];
    if (typeof content !== "string" && !Array.isArray(content)) {
      return invalid(`messages.${i}.content: must be a string or an array of content blocks.`, `messages.${i}.content`);
    }
  }
  const stream = json["stream"];
  if (stream !== undefined && typeof stream !== "boolean") return invalid("stream: must be a boolean.", "stream");
  return { model, stream: stream === true };
}
