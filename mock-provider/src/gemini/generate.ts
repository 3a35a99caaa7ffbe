/**
 * Deterministic GenerateContent answers (same rules as the OpenAI mock): text = "echo: " + the last user
 * text with directives stripped; function calls when tools are declared and the text says `call <name>`
 * (or toolConfig forces them), each step's first call carrying a mock thoughtSignature; usage from
 * mock-provider/src/usage.ts (prompt = Σ contents (+ systemInstruction) of ceil(utf8 bytes/4) + 3,
 * completion = words, or Σ ceil(bytes(name + args)/4) for calls).
 */
import { echoWords } from "../completion";
import { argsFromSchema, selectToolCalls } from "../tool-calls";
import type { ToolChoice, ToolFunction } from "../types";
import { TOKENS_PER_MESSAGE, textTokens } from "../usage";

export type Json = Record<string, unknown>;

export const MOCK_SIGNATURE_PREFIX = "sidegate-mock-signature:";

export function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function parts(content: unknown): Json[] {
  return isObject(content) && Array.isArray(content["parts"]) ? content["parts"].filter(isObject) : [];
}

function textOf(content: unknown): string {
  return parts(content).filter((p) => typeof p["text"] === "string" && p["thought"] !== true).map((p) => p["text"] as string).join("\n");
}

const isUserText = (c: Json): boolean => c["role"] !== "model" && parts(c).some((p) => typeof p["text"] === "string");

/** Index of the last user content with text (the start of the current turn), or -1. */
export function lastUserTextIndex(contents: Json[]): number {
  for (let i = contents.length - 1; i >= 0; i--) if (isUserText(contents[i] as Json)) return i;
  return -1;
}

export function lastUserText(contents: Json[]): string {
  const i = lastUserTextIndex(contents);
  return i === -1 ? "" : textOf(contents[i]);
}

/** Gemini 3 rule: in the current turn, each model step's first functionCall part must carry a signature. */
export function missingSignature(contents: Json[]): boolean {
  for (const c of contents.slice(lastUserTextIndex(contents) + 1)) {
    if (c["role"] !== "model") continue;
    const first = parts(c).find((p) => isObject(p["functionCall"]));
    if (first !== undefined && typeof first["thoughtSignature"] !== "string") return true;
  }
  return false;
}

function toolsOf(body: Json): ToolFunction[] {
  const tools = Array.isArray(body["tools"]) ? body["tools"].filter(isObject) : [];
  return tools.flatMap((t) => (Array.isArray(t["functionDeclarations"]) ? t["functionDeclarations"].filter(isObject) : []))
    .filter((d) => typeof d["name"] === "string")
    .map((d) => ({ name: d["name"] as string, parameters: lowerSchema(d["parametersJsonSchema"] ?? d["parameters"]) }));
}

/** Gemini schemas use upper-case types; argsFromSchema expects JSON Schema names. */
function lowerSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(lowerSchema);
  if (!isObject(s)) return s;
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) out[k] = k === "type" && typeof v === "string" ? v.toLowerCase() : lowerSchema(v);
  return out;
}

function toolChoice(body: Json): ToolChoice {
  const cfg = isObject(body["toolConfig"]) ? body["toolConfig"]["functionCallingConfig"] : undefined;
  const mode = isObject(cfg) ? cfg["mode"] : undefined;
  const names = isObject(cfg) && Array.isArray(cfg["allowedFunctionNames"]) ? cfg["allowedFunctionNames"] : [];
  if (mode === "NONE") return "none";
  if (mode === "ANY") return names.length === 1 && typeof names[0] === "string" ? { name: names[0] } : "required";
  return "auto";
}

export interface MockCandidate {
  parts: Json[];
  words: string[];
  finishReason: "STOP" | "MAX_TOKENS";
}

export interface MockPlan {
  candidates: MockCandidate[];
  promptTokens: number;
  completionTokens: number;
}

export function planGenerate(body: Json, userText: string, fixedWords: number | undefined): MockPlan {
  const contents = (body["contents"] as Json[]).filter(isObject);
  const config = isObject(body["generationConfig"]) ? body["generationConfig"] : {};
  const n = typeof config["candidateCount"] === "number" && config["candidateCount"] > 0 ? Math.min(8, Math.floor(config["candidateCount"])) : 1;
  const max = typeof config["maxOutputTokens"] === "number" ? config["maxOutputTokens"] : undefined;
  const last = contents[contents.length - 1];
  const answeringTools = last !== undefined && parts(last).some((p) => isObject(p["functionResponse"]));
  const calls = answeringTools ? [] : selectToolCalls(toolsOf(body), toolChoice(body), userText);
  let prompt = 0;
  for (const c of contents) prompt += textTokens(textOf(c)) + TOKENS_PER_MESSAGE;
  if (body["systemInstruction"] !== undefined) prompt += textTokens(textOf(body["systemInstruction"])) + TOKENS_PER_MESSAGE;
  const candidates: MockCandidate[] = [];
  let completion = 0;
  for (let i = 0; i < n; i++) {
    if (calls.length > 0) {
      const fc = calls.map((t, k) => {
        const args = argsFromSchema(t.parameters);
        completion += textTokens(t.name + JSON.stringify(args));
        const part: Json = { functionCall: { name: t.name, args } };
        if (k === 0) part["thoughtSignature"] = Buffer.from(MOCK_SIGNATURE_PREFIX + t.name).toString("base64");
        return part;
      });
      candidates.push({ parts: fc, words: [], finishReason: "STOP" });
      continue;
    }
    let words = echoWords(userText, fixedWords);
    let finishReason: MockCandidate["finishReason"] = "STOP";
    if (max !== undefined && max < words.length) {
      words = words.slice(0, max);
      finishReason = "MAX_TOKENS";
    }
    completion += words.length;
    candidates.push({ parts: [{ text: words.join(" ") }], words, finishReason });
  }
  return { candidates, promptTokens: prompt, completionTokens: completion };
}

export function usageMetadata(promptTokens: number, candidatesTokens: number): Json {
  return {
    promptTokenCount: promptTokens,
    candidatesTokenCount: candidatesTokens,
    totalTokenCount: promptTokens + candidatesTokens,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: promptTokens }],
  };
}

export interface ResponseHead {
  responseId: string;
  modelVersion: string;
  createTime?: string;
}

export function fullResponse(plan: MockPlan, head: ResponseHead): Json {
  return {
    candidates: plan.candidates.map((c, index) => ({ content: { role: "model", parts: c.parts }, finishReason: c.finishReason, index })),
    usageMetadata: usageMetadata(plan.promptTokens, plan.completionTokens),
    ...head,
  };
}

/** Stream chunks: one word per chunk per candidate (calls whole in one chunk), usage running, finish last. */
export function streamChunks(plan: MockPlan, head: ResponseHead): Json[] {
  const steps = Math.max(1, ...plan.candidates.map((c) => (c.words.length > 0 ? c.words.length : 1)));
  const chunks: Json[] = [];
  let sent = 0;
  for (let s = 0; s < steps; s++) {
    const candidates: Json[] = [];
    plan.candidates.forEach((c, index) => {
      const len = Math.max(1, c.words.length);
      if (s >= len) return;
      const chunkParts = c.words.length > 0 ? [{ text: (s > 0 ? " " : "") + (c.words[s] as string) }] : c.parts;
      if (c.words.length > 0) sent += 1;
      const candidate: Json = { content: { role: "model", parts: chunkParts }, index };
      if (s === len - 1) candidate["finishReason"] = c.finishReason;
      candidates.push(candidate);
    });
    const last = s === steps - 1;
    chunks.push({ candidates, usageMetadata: usageMetadata(plan.promptTokens, last ? plan.completionTokens : Math.min(sent, plan.completionTokens)), ...head });
  }
  return chunks;
}
