import type { ToolChoice, ToolFunction } from "./types";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Which functions the mock "calls": the one named by tool_choice, the first tool for "required",
 * otherwise every tool whose name appears as `call <name>` in the user text (in order of appearance).
 * `tool_choice: "none"` or no tools → none.
 */
export function selectToolCalls(tools: readonly ToolFunction[], choice: ToolChoice, userText: string): ToolFunction[] {
  if (tools.length === 0 || choice === "none") return [];
  if (typeof choice === "object") {
    const named = tools.find((t) => t.name === choice.name);
    return named ? [named] : [];
  }
  const mentioned: Array<{ at: number; tool: ToolFunction }> = [];
  for (const tool of tools) {
    const at = findCall(userText, tool.name);
    if (at !== -1) mentioned.push({ at, tool });
  }
  if (mentioned.length > 0) return mentioned.sort((a, b) => a.at - b.at).map((m) => m.tool);
  if (choice === "required" && tools[0]) return [tools[0]];
  return [];
}

function findCall(text: string, name: string): number {
  const needle = `call ${name}`;
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at === -1) return -1;
    const next = text.charAt(at + needle.length);
    if (next === "" || !/[A-Za-z0-9_-]/.test(next)) return at;
    from = at + 1;
  }
}

/** Deterministic arguments from a JSON schema: strings "mock", numbers 1, booleans true. */
export function argsFromSchema(schema: unknown, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObject(schema) || !isObject(schema.properties) || depth > 8) return out;
  for (const [key, prop] of Object.entries(schema.properties)) out[key] = valueFor(prop, depth);
  return out;
}

function valueFor(prop: unknown, depth: number): unknown {
  if (!isObject(prop)) return "mock";
  if (Array.isArray(prop.enum) && prop.enum.length > 0) return prop.enum[0];
  if ("const" in prop) return prop.const;
  const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== "null") : prop.type;
  switch (type) {
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return true;
    case "object":
      return argsFromSchema(prop, depth + 1);
    case "array":
      return isObject(prop.items) ? [valueFor(prop.items, depth + 1)] : [];
    case "null":
      return null;
    default:
      return "mock";
  }
}

/** Split an arguments string into up to `pieces` non-empty fragments (for streamed tool-call deltas). */
export function splitArguments(args: string, pieces = 3): string[] {
  if (args.length === 0) return [];
  const size = Math.max(1, Math.ceil(args.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < args.length; i += size) out.push(args.slice(i, i + size));
  return out;
}
