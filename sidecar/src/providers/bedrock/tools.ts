/**
 * tools / tool_choice / response_format → Converse `toolConfig` and `outputConfig`.
 *
 * - tool_choice auto → {auto:{}}, required → {any:{}}, named → {tool:{name}}, allowed_tools → filtered tools
 *   with auto/any. "none" has no Converse value: toolConfig is omitted, except when the history holds
 *   toolUse/toolResult blocks (Converse then requires toolConfig) — then the tools go without toolChoice.
 * - History with tool blocks but no `tools` in the request: minimal tool specs are synthesised from the names.
 * - response_format json_schema/json_object (mode "tool"): a forced tool named JSON_TOOL whose input is the
 *   answer; response.ts/stream.ts turn that tool's input back into `content`. The name is reserved because
 *   the response side sees no request state.
 */
import type { Block } from "./content";
import { invalidParam, isRecord, type Json } from "./json";
import type { ConvertedMessages } from "./messages";
import type { StructuredOutputMode } from "./target";

export const JSON_TOOL = "sidegate_json_output";

export interface ToolParts {
  toolConfig?: Json;
  outputConfig?: Json;
}

interface Spec {
  readonly name: string;
  readonly block: Block;
}

const EMPTY_SCHEMA = { type: "object", properties: {} };

export function toolParts(json: Readonly<Record<string, unknown>>, history: ConvertedMessages, mode: StructuredOutputMode): ToolParts {
  const specs = toolSpecs(json["tools"]);
  const structured = structuredOutput(json["response_format"], mode);
  if (structured?.forced !== undefined) {
    if (specs.length > 0) throw invalidParam("response_format", "response_format json_schema/json_object cannot be combined with tools on Bedrock.");
    const tools = [structured.forced, ...historySpecs(history.historyTools)].map((s) => s.block);
    return { toolConfig: { tools, toolChoice: { tool: { name: JSON_TOOL } } } };
  }
  const parts: ToolParts = structured?.outputConfig !== undefined ? { outputConfig: structured.outputConfig } : {};
  const choice = toolChoice(json["tool_choice"], specs);
  const offered = choice.only === null ? specs : specs.filter((s) => choice.only?.includes(s.name));
  if (choice.value === null || offered.length === 0) {
    if (!history.hasToolBlocks) return parts;
    const tools = offered.length > 0 ? offered : historySpecs(history.historyTools);
    return { ...parts, toolConfig: { tools: tools.map((s) => s.block) } };
  }
  const toolConfig: Json = { tools: offered.map((s) => s.block) };
  if (choice.value !== undefined) toolConfig["toolChoice"] = choice.value;
  return { ...parts, toolConfig };
}

function toolSpecs(raw: unknown): Spec[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidParam("tools", "tools must be an array.");
  return raw.map((tool: unknown, i) => {
    const fn = isRecord(tool) ? tool["function"] : undefined;
    if (!isRecord(tool) || tool["type"] !== "function" || !isRecord(fn) || typeof fn["name"] !== "string") {
      throw invalidParam(`tools[${i}]`, "Only {type:\"function\", function:{name, …}} tools are supported by Bedrock Converse.");
    }
    const name = fn["name"];
    if (name === JSON_TOOL) throw invalidParam(`tools[${i}].function.name`, `The tool name ${JSON_TOOL} is reserved.`);
    const spec: Json = { name, inputSchema: { json: objectSchema(fn["parameters"]) } };
    if (typeof fn["description"] === "string" && fn["description"] !== "") spec["description"] = fn["description"];
    return { name, block: { toolSpec: spec } };
  });
}

/** Converse wants a top-level object schema; a missing schema is an empty object schema. */
function objectSchema(schema: unknown): Json {
  if (!isRecord(schema)) return { ...EMPTY_SCHEMA };
  return schema["type"] === undefined ? { type: "object", ...schema } : schema;
}

function historySpecs(names: readonly string[]): Spec[] {
  return names.map((name) => ({ name, block: { toolSpec: { name, inputSchema: { json: { ...EMPTY_SCHEMA } } } } }));
}

/** value: undefined = leave to the model (auto), null = "none"; only = allowed_tools filter. */
function toolChoice(raw: unknown, specs: readonly Spec[]): { value: Json | null | undefined; only: string[] | null } {
  if (raw === undefined || raw === null) return { value: undefined, only: null };
  if (raw === "none") return { value: null, only: null };
  if (raw === "auto") return { value: { auto: {} }, only: null };
  if (raw === "required") return { value: { any: {} }, only: null };
  if (isRecord(raw) && raw["type"] === "function" && isRecord(raw["function"]) && typeof raw["function"]["name"] === "string") {
    const name = raw["function"]["name"];
    if (!specs.some((s) => s.name === name)) throw invalidParam("tool_choice", `tool_choice names ${JSON.stringify(name)}, which is not in tools.`);
    return { value: { tool: { name } }, only: null };
  }
  if (isRecord(raw) && raw["type"] === "allowed_tools" && isRecord(raw["allowed_tools"])) {
    const allowed = raw["allowed_tools"];
    const list = Array.isArray(allowed["tools"]) ? allowed["tools"] : [];
    const only = list.map((t: unknown) => (isRecord(t) && isRecord(t["function"]) ? String(t["function"]["name"]) : ""));
    return { value: allowed["mode"] === "required" ? { any: {} } : { auto: {} }, only };
  }
  throw invalidParam("tool_choice", "tool_choice must be none, auto, required, a named function or allowed_tools.");
}

function structuredOutput(raw: unknown, mode: StructuredOutputMode): { forced?: Spec; outputConfig?: Json } | null {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) throw invalidParam("response_format", "response_format must be an object.");
  if (raw["type"] === "text") return null;
  if (raw["type"] === "json_object") return { forced: forcedTool({ type: "object" }, "Respond with a JSON object.") };
  if (raw["type"] !== "json_schema" || !isRecord(raw["json_schema"])) {
    throw invalidParam("response_format", "response_format.type must be text, json_object or json_schema.");
  }
  const js = raw["json_schema"];
  const schema = isRecord(js["schema"]) ? js["schema"] : { type: "object" };
  const name = typeof js["name"] === "string" ? js["name"] : "response";
  const description = typeof js["description"] === "string" ? js["description"] : undefined;
  if (mode === "output_config") {
    const jsonSchema: Json = { schema: JSON.stringify(schema), name };
    if (description !== undefined) jsonSchema["description"] = description;
    return { outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema } } } };
  }
  if (schema["type"] !== undefined && schema["type"] !== "object") {
    throw invalidParam("response_format.json_schema.schema", "On Bedrock the JSON schema must describe an object (it is sent as a tool input schema).");
  }
  return { forced: forcedTool(schema, description ?? `Respond with JSON matching the schema "${name}".`) };
}

function forcedTool(schema: Json, description: string): Spec {
  return { name: JSON_TOOL, block: { toolSpec: { name: JSON_TOOL, description, inputSchema: { json: objectSchema(schema) } } } };
}
