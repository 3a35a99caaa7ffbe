/**
 * OpenAI `tools` / `tool_choice` → Gemini `tools[0].functionDeclarations` / `toolConfig`
 * (providers.md §4.3). Only `type:"function"` tools exist on Gemini; `custom` tools are rejected.
 * Schemas go to `parameters` sanitised (schema.ts), or unchanged to `parametersJsonSchema` when the
 * deployment option `schema_mode` is `json` (newer models accept full JSON Schema).
 */
import { invalid, isRecord, type Json } from "./json";
import { isEmptyObjectSchema, toGeminiSchema } from "./schema";

export type SchemaMode = "openapi" | "json";

export function convertTools(tools: unknown, mode: SchemaMode): Json[] | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw invalid("'tools' must be an array.", "tools");
  if (tools.length === 0) return undefined;
  const declarations = tools.map((tool, i) => declaration(tool, `tools[${i}]`, mode));
  return [{ functionDeclarations: declarations }];
}

function declaration(tool: unknown, param: string, mode: SchemaMode): Json {
  if (!isRecord(tool) || tool["type"] !== "function") {
    throw invalid("Only tools of type 'function' are supported by this provider.", `${param}.type`);
  }
  const fn = tool["function"];
  if (!isRecord(fn) || typeof fn["name"] !== "string" || fn["name"] === "") throw invalid("Tool needs function.name.", `${param}.function.name`);
  const out: Json = { name: fn["name"] };
  if (typeof fn["description"] === "string") out["description"] = fn["description"];
  const parameters = fn["parameters"];
  if (mode === "json") {
    if (isRecord(parameters)) out["parametersJsonSchema"] = parameters;
    return out;
  }
  if (isRecord(parameters)) {
    const schema = toGeminiSchema(parameters);
    // A function without arguments has no `parameters` (Gemini rejects an OBJECT without properties).
    if (!isEmptyObjectSchema(schema)) out["parameters"] = schema;
  }
  return out;
}

/** `tool_choice` → `toolConfig` (undefined = provider default, which is AUTO with tools). */
export function convertToolChoice(choice: unknown): Json | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === "auto") return config("AUTO");
  if (choice === "none") return config("NONE");
  if (choice === "required") return config("ANY");
  if (isRecord(choice) && choice["type"] === "function" && isRecord(choice["function"]) && typeof choice["function"]["name"] === "string") {
    return config("ANY", [choice["function"]["name"]]);
  }
  if (isRecord(choice) && choice["type"] === "allowed_tools" && isRecord(choice["allowed_tools"])) {
    const allowed = choice["allowed_tools"];
    const names = Array.isArray(allowed["tools"])
      ? allowed["tools"].map((t) => (isRecord(t) && isRecord(t["function"]) ? t["function"]["name"] : undefined))
      : [];
    if (names.length === 0 || !names.every((n): n is string => typeof n === "string")) {
      throw invalid("allowed_tools.tools must list function tools by name.", "tool_choice.allowed_tools.tools");
    }
    // Gemini takes allowedFunctionNames only with ANY or VALIDATED (calls limited to the names, or text).
    return config(allowed["mode"] === "required" ? "ANY" : "VALIDATED", names);
  }
  throw invalid("Unsupported tool_choice.", "tool_choice");
}

function config(mode: string, allowedFunctionNames?: string[]): Json {
  const functionCallingConfig: Json = { mode };
  if (allowedFunctionNames !== undefined) functionCallingConfig["allowedFunctionNames"] = allowedFunctionNames;
  return { functionCallingConfig };
}
