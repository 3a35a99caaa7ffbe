/** `parseChatResponse`: a `GenerateContentResponse` → an OpenAI `chat.completion` (providers.md §4.5). */
import type { ParsedResponse } from "../types";
import { logprobsFromGemini, mapFinishReason, readParts, responseMeta } from "./candidate";
import { digest, isRecord, parseJsonBytes, type Json } from "./json";
import { openAiUsage, usageFromGemini } from "./usage";

/**
 * Optional request context. The adapter contract does not pass it yet; when the pipeline starts passing
 * `now`, `created` is Vertex `createTime` when present, else the request time (0 without either).
 */
export interface ResponseContext {
  readonly now?: number;
  readonly model?: string;
}

export function parseChatResponse(body: Uint8Array, context: ResponseContext = {}): ParsedResponse {
  let json = parseJsonBytes(body);
  // Vertex may answer a JSON array of responses; a one-element array is the response.
  if (Array.isArray(json) && json.length === 1) json = json[0];
  if (!isRecord(json)) return { ok: false, reason: "response body is not a JSON object" };
  const meta = responseMeta(json, digest(body).slice(0, 24), context);
  const usage = usageFromGemini(json["usageMetadata"]);
  const candidates = Array.isArray(json["candidates"]) ? json["candidates"].filter(isRecord) : [];
  const out: Json = { id: meta.id, object: "chat.completion", created: meta.created, model: meta.model };
  const reason = blockReason(json);
  if (candidates.length > 0) {
    out["choices"] = candidates.map((c, pos) => choice(c, pos, meta.seed));
  } else {
    // Prompt blocked (no candidates): a 200 with one content_filter choice; the reason as an extension.
    out["choices"] = [emptyChoice(reason !== null ? "content_filter" : "stop")];
    if (reason !== null) out["prompt_block_reason"] = reason;
  }
  if (usage !== null) out["usage"] = openAiUsage(usage);
  const choices = out["choices"] as Json[];
  const finish = (choices[0]?.["finish_reason"] as string | undefined) ?? null;
  return { ok: true, body: Buffer.from(JSON.stringify(out)), usage, finishReason: finish };
}

export function blockReason(json: Json): string | null {
  const feedback = json["promptFeedback"];
  if (!isRecord(feedback)) return null;
  const reason = feedback["blockReason"];
  return typeof reason === "string" && reason !== "" ? reason : null;
}

function choice(c: Json, pos: number, seed: string): Json {
  const index = typeof c["index"] === "number" ? c["index"] : pos;
  const content = isRecord(c["content"]) ? c["content"]["parts"] : undefined;
  const parts = readParts(content, seed, index, 0);
  const message: Json = { role: "assistant", content: parts.content === "" ? null : parts.content, refusal: null };
  if (parts.reasoning !== "") message["reasoning_content"] = parts.reasoning;
  if (parts.toolCalls.length > 0) message["tool_calls"] = parts.toolCalls.map(({ index: _i, ...call }) => call);
  return {
    index,
    message,
    logprobs: logprobsFromGemini(c["logprobsResult"]),
    finish_reason: mapFinishReason(c["finishReason"], parts.toolCalls.length > 0),
  };
}

function emptyChoice(finish: string): Json {
  return { index: 0, message: { role: "assistant", content: null, refusal: null }, logprobs: null, finish_reason: finish };
}
