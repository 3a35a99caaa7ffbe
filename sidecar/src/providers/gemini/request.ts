/** `buildChatRequest`: the OpenAI body → a Gemini `GenerateContentRequest` (providers.md §4.2–§4.4). */
import type { ChatInput, PreparedDeployment, UpstreamRequest } from "../types";
import { isGeminiTarget } from "./deployment";
import { invalid, type Json } from "./json";
import { convertMessages } from "./messages";
import { checkParameters, generationConfig } from "./params";
import { convertToolChoice, convertTools } from "./tools";

const MODEL_PREFIXES = ["publishers/google/models/", "models/"];
const MODEL_ID = /^[A-Za-z0-9._@-]+$/;

/** Accepts `gemini-2.5-flash`, `models/gemini-2.5-flash` and (Vertex) `publishers/google/models/…`. */
export function modelSegment(model: string): string {
  let id = model;
  for (const prefix of MODEL_PREFIXES) if (id.startsWith(prefix)) id = id.slice(prefix.length);
  if (!MODEL_ID.test(id)) throw invalid(`Model name '${model}' is not a valid Gemini model id.`, "model");
  return id;
}

export function buildChatRequest(target: PreparedDeployment, input: ChatInput): UpstreamRequest {
  if (!isGeminiTarget(target)) throw new Error("gemini adapter: deployment was not prepared by this adapter");
  const json = input.json;
  checkParameters(json);
  const model = modelSegment(input.upstreamModel);
  const { systemInstruction, contents } = convertMessages(json["messages"], target.dialect);
  const body: Json = { contents };
  if (systemInstruction !== undefined) body["systemInstruction"] = systemInstruction;
  const tools = convertTools(json["tools"], target.schemaMode);
  if (tools !== undefined) body["tools"] = tools;
  const toolConfig = convertToolChoice(json["tool_choice"]);
  if (toolConfig !== undefined) body["toolConfig"] = toolConfig;
  const config = generationConfig(json, model, target.schemaMode);
  if (config !== undefined) body["generationConfig"] = config;
  const method = input.stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
  return { method: "POST", path: target.chatPath + model + method, headers: target.headers, body: Buffer.from(JSON.stringify(body)) };
}
