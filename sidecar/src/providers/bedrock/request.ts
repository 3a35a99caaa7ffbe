/**
 * OpenAI chat request → Converse / ConverseStream request: body (see params.ts for the field rules),
 * path `/model/{url-encoded model id}/converse[-stream]`, and headers (bearer, or SigV4 signed per request
 * with `input.now`).
 */
import type { ChatInput, PreparedDeployment, UpstreamRequest } from "../types";
import { invalidParam, type Json } from "./json";
import { convertMessages } from "./messages";
import { checkParams } from "./params";
import { signedHeaders } from "./sign";
import { bedrockPart, type BedrockOptions } from "./target";
import { toolParts } from "./tools";

export function buildChatRequest(target: PreparedDeployment, input: ChatInput): UpstreamRequest {
  const part = bedrockPart(target);
  const body = Buffer.from(JSON.stringify(converseBody(input.json, part.options)));
  const path = `${part.basePath}/model/${encodeURIComponent(input.upstreamModel)}/${input.stream ? "converse-stream" : "converse"}`;
  return { method: "POST", path, headers: requestHeaders(target, path, body, input.now), body };
}

/** The prepared constant headers (bearer / none), or the SigV4-signed set for this path, body and time. */
export function requestHeaders(target: PreparedDeployment, path: string, body: Uint8Array, now: number): readonly string[] {
  const part = bedrockPart(target);
  const auth = part.auth;
  if (auth.kind !== "sigv4") return target.headers;
  return signedHeaders({
    method: "POST",
    host: part.host,
    path,
    region: auth.region,
    body,
    headers: { "content-type": "application/json" },
    credentials: auth.credentials,
    now,
  });
}

/** The Converse JSON body (model id travels in the path). */
export function converseBody(json: Readonly<Record<string, unknown>>, options: BedrockOptions): Json {
  checkParams(json);
  const converted = convertMessages(json["messages"]);
  const body: Json = { messages: converted.messages };
  if (converted.system.length > 0) body["system"] = converted.system;
  const inference = inferenceConfig(json);
  if (inference !== null) body["inferenceConfig"] = inference;
  const tools = toolParts(json, converted, options.structuredOutput);
  if (tools.toolConfig !== undefined) body["toolConfig"] = tools.toolConfig;
  if (tools.outputConfig !== undefined) body["outputConfig"] = tools.outputConfig;
  if (options.guardrail !== null) body["guardrailConfig"] = { ...options.guardrail };
  return body;
}

function inferenceConfig(json: Readonly<Record<string, unknown>>): Json | null {
  const config: Json = {};
  const maxTokens = json["max_completion_tokens"] ?? json["max_tokens"];
  if (maxTokens !== undefined && maxTokens !== null) {
    const param = json["max_completion_tokens"] !== undefined && json["max_completion_tokens"] !== null ? "max_completion_tokens" : "max_tokens";
    if (!Number.isInteger(maxTokens) || (maxTokens as number) < 1) throw invalidParam(param, `${param} must be a positive integer.`);
    config["maxTokens"] = maxTokens;
  }
  number(json, "temperature", config, "temperature");
  number(json, "top_p", config, "topP");
  const stop = json["stop"];
  if (typeof stop === "string") config["stopSequences"] = [stop];
  else if (Array.isArray(stop) && stop.every((s) => typeof s === "string")) {
    if (stop.length > 0) config["stopSequences"] = stop;
  } else if (stop !== undefined && stop !== null) throw invalidParam("stop", "stop must be a string or an array of strings.");
  return Object.keys(config).length > 0 ? config : null;
}

function number(json: Readonly<Record<string, unknown>>, from: string, into: Json, to: string): void {
  const value = json[from];
  if (value === undefined || value === null) return;
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalidParam(from, `${from} must be a number.`);
  into[to] = value;
}
