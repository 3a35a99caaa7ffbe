/**
 * One Gemini `Candidate` → the pieces of an OpenAI choice, shared by the non-stream and stream paths
 * (providers.md §4.5): finish-reason mapping, text vs thought text, function calls → tool calls with
 * stable ids (carrying Gemini id and thought signature, see tool-ids.ts), logprobs.
 */
import { isRecord, type Json } from "./json";
import { encodeToolCallId, localToolCallId } from "./tool-ids";

/** Gemini finishReason → OpenAI finish_reason. Unknown values map to `stop`. */
export const FINISH_REASONS: Readonly<Record<string, "stop" | "length" | "content_filter">> = Object.freeze({
  STOP: "stop",
  MAX_TOKENS: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
  IMAGE_SAFETY: "content_filter",
  IMAGE_PROHIBITED_CONTENT: "content_filter",
  IMAGE_RECITATION: "content_filter",
  LANGUAGE: "content_filter",
  MALFORMED_FUNCTION_CALL: "stop",
  UNEXPECTED_TOOL_CALL: "stop",
  TOO_MANY_TOOL_CALLS: "stop",
  OTHER: "stop",
  FINISH_REASON_UNSPECIFIED: "stop",
});

/** `STOP` (or any non-filter, non-length reason) with function calls in the candidate is `tool_calls`. */
export function mapFinishReason(reason: unknown, sawToolCall: boolean): string {
  const mapped = typeof reason === "string" ? (FINISH_REASONS[reason] ?? "stop") : "stop";
  return mapped === "stop" && sawToolCall ? "tool_calls" : mapped;
}

export interface CandidateDelta {
  content: string;
  reasoning: string;
  toolCalls: Json[];
}

/**
 * Reads a candidate's parts. `seed` (response id) + `candidate` + the running call index make the
 * tool-call ids deterministic; `firstCall` is the index of this batch's first call within the message.
 */
export function readParts(parts: unknown, seed: string, candidate: number, firstCall: number): CandidateDelta {
  const out: CandidateDelta = { content: "", reasoning: "", toolCalls: [] };
  if (!Array.isArray(parts)) return out;
  for (const part of parts) {
    if (!isRecord(part)) continue;
    const text = part["text"];
    if (typeof text === "string") {
      if (part["thought"] === true) out.reasoning += text;
      else out.content += text;
      continue;
    }
    const call = part["functionCall"];
    if (!isRecord(call) || typeof call["name"] !== "string") continue;
    const index = firstCall + out.toolCalls.length;
    const state: { geminiId?: string; thoughtSignature?: string } = {};
    if (typeof call["id"] === "string") state.geminiId = call["id"];
    if (typeof part["thoughtSignature"] === "string") state.thoughtSignature = part["thoughtSignature"];
    out.toolCalls.push({
      index,
      id: encodeToolCallId(localToolCallId(seed, candidate, index), state),
      type: "function",
      function: { name: call["name"], arguments: JSON.stringify(isRecord(call["args"]) ? call["args"] : {}) },
    });
  }
  return out;
}

/** `logprobsResult` → OpenAI `logprobs` (null when absent). */
export function logprobsFromGemini(result: unknown): Json | null {
  if (!isRecord(result) || !Array.isArray(result["chosenCandidates"])) return null;
  const top = Array.isArray(result["topCandidates"]) ? result["topCandidates"] : [];
  const content = result["chosenCandidates"].filter(isRecord).map((chosen, j) => {
    const alternatives = isRecord(top[j]) && Array.isArray(top[j]["candidates"]) ? top[j]["candidates"] : [];
    return { ...tokenLogprob(chosen), top_logprobs: alternatives.filter(isRecord).map(tokenLogprob) };
  });
  return { content, refusal: null };
}

function tokenLogprob(c: Json): Json {
  const token = typeof c["token"] === "string" ? c["token"] : "";
  const logprob = typeof c["logProbability"] === "number" ? c["logProbability"] : 0;
  return { token, logprob, bytes: Array.from(Buffer.from(token, "utf8")) };
}

/** `chatcmpl-…` id, model and `created` of a response (or of a stream's first event). */
export function responseMeta(json: Json, fallbackSeed: string, options: { now?: number; model?: string }): { id: string; seed: string; model: string; created: number } {
  const responseId = typeof json["responseId"] === "string" && json["responseId"] !== "" ? json["responseId"] : null;
  const seed = responseId ?? fallbackSeed;
  const model = typeof json["modelVersion"] === "string" && json["modelVersion"] !== "" ? json["modelVersion"] : (options.model ?? "gemini");
  // The provider's own timestamp (Vertex createTime) wins; otherwise the request time.
  let created = 0;
  if (typeof json["createTime"] === "string" && Number.isFinite(Date.parse(json["createTime"]))) created = Math.floor(Date.parse(json["createTime"]) / 1000);
  else if (options.now !== undefined) created = Math.floor(options.now / 1000);
  return { id: `chatcmpl-${seed}`, seed, model, created };
}
