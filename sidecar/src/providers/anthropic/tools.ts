/**
 * tools / tool_choice / parallel_tool_calls / response_format (providers.md §3.2, §3.4).
 * Structured output uses the forced-tool fallback: a synthetic tool whose input is the JSON answer. Its
 * name is reserved so the response and stream side recognise it without request context.
 */
import { invalid, isRecord } from "./json";
import type { Tool, ToolChoice } from "./wire";

export const JSON_TOOL_NAME = "sidegate_json_output";

const EMPTY_SCHEMA = Object.freeze({ type: "object", properties: {} });

export interface ToolConfig {
  readonly tools: Tool[] | undefined;
  readonly toolChoice: ToolChoice | undefined;
  /** response_format json_object: an instruction appended to the system prompt. */
  readonly systemSuffix: string | undefined;
}

export const JSON_OBJECT_INSTRUCTION = "Respond with a single valid JSON object and nothing else (no prose, no code fences).";

export function convertTools(json: Readonly<Record<string, unknown>>): ToolConfig {
  const tools = clientTools(json["tools"]);
  const format = responseFormat(json["response_format"]);
  const parallel = json["parallel_tool_calls"] === false;
  if (format.kind === "json_object") {
    return { tools, toolChoice: choiceFor(json["tool_choice"], tools, parallel), systemSuffix: JSON_OBJECT_INSTRUCTION };
  }
  if (format.kind === "text") return { tools, toolChoice: choiceFor(json["tool_choice"], tools, parallel), systemSuffix: undefined };
  const choice = json["tool_choice"];
  if (choice === "required" || isRecord(choice)) {
    throw invalid("response_format", "json_schema cannot be combined with a forcing tool_choice for this provider.");
  }
  const all = [...(tools ?? []), format.tool];
  // With client tools (and tool_choice auto): the model must call a tool, either a real one or the answer tool.
  const useTools = tools !== undefined && choice !== "none";
  const forced: ToolChoice = useTools ? { type: "any" } : { type: "tool", name: JSON_TOOL_NAME };
  return { tools: all, toolChoice: parallel ? { ...forced, disable_parallel_tool_use: true } : forced, systemSuffix: undefined };
}

function clientTools(raw: unknown): Tool[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalid("tools", "'tools' must be an array.");
  if (raw.length === 0) return undefined;
  return raw.map((tool: unknown, i): Tool => {
    const param = `tools[${i}]`;
    if (!isRecord(tool) || tool["type"] !== "function" || !isRecord(tool["function"])) {
      throw invalid(param, "Only function tools are supported by this provider.");
    }
    const fn = tool["function"];
    const name = fn["name"];
    if (typeof name !== "string" || name === "") throw invalid(`${param}.function.name`, "A tool needs a name.");
    if (name === JSON_TOOL_NAME) throw invalid(`${param}.function.name`, `The tool name '${JSON_TOOL_NAME}' is reserved.`);
    const schema = fn["parameters"] ?? EMPTY_SCHEMA;
    if (!isRecord(schema) || (schema["type"] !== undefined && schema["type"] !== "object")) {
      throw invalid(`${param}.function.parameters`, "Tool parameters must be a JSON schema of type object.");
    }
    const input_schema = schema["type"] === undefined ? { type: "object", ...schema } : schema;
    const description = fn["description"];
    return typeof description === "string" ? { name, description, input_schema } : { name, input_schema };
  });
}

type Format = { kind: "text" } | { kind: "json_object" } | { kind: "json_schema"; tool: Tool };

function responseFormat(raw: unknown): Format {
  if (raw === undefined || raw === null) return { kind: "text" };
  const type = isRecord(raw) ? raw["type"] : undefined;
  if (type === "text") return { kind: "text" };
  if (type === "json_object") return { kind: "json_object" };
  if (type !== "json_schema" || !isRecord(raw) || !isRecord(raw["json_schema"])) {
    throw invalid("response_format", "response_format must be text, json_object or json_schema.");
  }
  const spec = raw["json_schema"];
  const schema = isRecord(spec["schema"]) ? spec["schema"] : EMPTY_SCHEMA;
  if (schema["type"] !== "object") {
    throw invalid("response_format.json_schema.schema", "This provider needs a schema of type object.");
  }
  const name = typeof spec["name"] === "string" ? spec["name"] : "output";
  const about = typeof spec["description"] === "string" ? ` ${spec["description"]}` : "";
  const description = `Give the final answer by calling this tool; its input is the answer ('${name}').${about}`;
  return { kind: "json_schema", tool: { name: JSON_TOOL_NAME, description, input_schema: schema } };
}

function choiceFor(raw: unknown, tools: Tool[] | undefined, parallel: boolean): ToolChoice | undefined {
  if (tools === undefined) return undefined; // tool_choice without tools means nothing upstream
  const choice = baseChoice(raw, tools);
  if (!parallel || choice.type === "none") return choice;
  return { ...choice, disable_parallel_tool_use: true };
}

function baseChoice(raw: unknown, tools: Tool[]): ToolChoice {
  if (raw === undefined || raw === null || raw === "auto") return { type: "auto" };
  if (raw === "none") return { type: "none" };
  if (raw === "required") return { type: "any" };
  if (isRecord(raw) && raw["type"] === "function" && isRecord(raw["function"])) {
    const name = raw["function"]["name"];
    if (typeof name !== "string" || !tools.some((t) => t.name === name)) {
      throw invalid("tool_choice", "tool_choice names a function that is not in 'tools'.");
    }
    return { type: "tool", name };
  }
  throw invalid("tool_choice", "tool_choice must be none, auto, required or a named function for this provider.");
}
