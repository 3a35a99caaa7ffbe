/**
 * Repairs applied to one parsed OpenAI-shaped chunk or response from a "compatible" upstream: usage pulled out
 * (top-level or Groq's `x_groq.usage`), finish reasons mapped into the OpenAI set, Mistral-style content arrays
 * flattened, annotation members removed, and top-level error objects converted to the OpenAI envelope.
 */
import type { NormalizedUsage } from "../types";
import { codeString, errorTypeForStatus } from "../shared/error-envelope";
import { isRecord } from "./bytes";
import { usageFromOpenAi } from "./usage";

/** Takes the usage out of a chunk/response object (mutates it); null when it carries none. */
export function takeUsage(json: Record<string, unknown>): NormalizedUsage | null {
  let usage = usageFromOpenAi(json["usage"]);
  const groq = json["x_groq"];
  if (isRecord(groq) && groq["usage"] !== undefined) {
    usage ??= usageFromOpenAi(groq["usage"]);
    delete groq["usage"];
  }
  delete json["usage"];
  return usage;
}

/** Flattens `content: [{type:"text"},{type:"thinking"}]` into `content` + ext `reasoning_content`. */
export function flattenContent(target: Record<string, unknown>): void {
  const content = target["content"];
  if (!Array.isArray(content)) return;
  let text = "";
  let thinking = "";
  for (const part of content) {
    if (typeof part === "string") text += part;
    else if (isRecord(part) && typeof part["text"] === "string" && part["type"] !== "thinking") text += part["text"];
    else if (isRecord(part) && part["type"] === "thinking") thinking += thinkingText(part["thinking"]);
  }
  target["content"] = text;
  if (thinking !== "") target["reasoning_content"] = thinking;
}

function thinkingText(value: unknown): string {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) return "";
  return value.map((p) => (isRecord(p) && typeof p["text"] === "string" ? p["text"] : "")).join("");
}

export interface ChoiceFixOptions {
  readonly finishReasons: Readonly<Record<string, string>>;
  /** Members removed from each choice and from the top level (annotations). */
  readonly strip: readonly string[];
}

/** Maps finish reasons, flattens content arrays and strips annotation members in every choice (mutates). */
export function fixChoices(json: Record<string, unknown>, opts: ChoiceFixOptions, messageKey: "delta" | "message"): void {
  for (const key of opts.strip) delete json[key];
  const choices = json["choices"];
  if (!Array.isArray(choices)) return;
  for (const choice of choices) {
    if (!isRecord(choice)) continue;
    for (const key of opts.strip) delete choice[key];
    const reason = choice["finish_reason"];
    if (typeof reason === "string") choice["finish_reason"] = opts.finishReasons[reason] ?? reason;
    const message = choice[messageKey];
    if (isRecord(message)) flattenContent(message);
  }
}

/** An upstream `error` value (object, string, numeric code) as the OpenAI envelope's inner object. */
export function openAiErrorObject(error: unknown, status: number): Record<string, unknown> {
  if (typeof error === "string") return { message: error, type: errorTypeForStatus(status), param: null, code: null };
  const e = isRecord(error) ? error : {};
  const message = typeof e["message"] === "string" ? e["message"] : JSON.stringify(error ?? null);
  const type = typeof e["type"] === "string" && e["type"] !== "" ? e["type"] : errorTypeForStatus(status);
  const param = typeof e["param"] === "string" ? e["param"] : null;
  return { message, type, param, code: codeString(e["code"]) };
}
