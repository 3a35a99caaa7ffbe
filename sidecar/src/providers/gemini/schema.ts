/**
 * JSON Schema → Gemini `Schema` (the OpenAPI subset accepted by `parameters` / `responseSchema`),
 * providers.md §8.3. Pure and total: never throws, never mutates its input.
 *
 * - `$ref` to `#/$defs/…` / `#/definitions/…` is inlined (a cycle or an unresolvable ref becomes
 *   `{type: OBJECT}` with the ref in the description), `$defs`/`definitions` are removed;
 * - `type: ["string","null"]` → `type: STRING, nullable: true`; several non-null types → `anyOf`;
 *   `anyOf`/`oneOf` with a `{type:"null"}` member → nullable; `oneOf` → `anyOf`; `allOf` is merged;
 * - `const: v` → `enum: [v]`; enum values become strings (Gemini enums are STRING-only), and a numeric
 *   enum turns the type into STRING (the model then answers e.g. `"1"` instead of `1`);
 * - `format` is kept only where Gemini supports it; `required` is filtered to declared properties;
 * - kept: description, title, nullable, min/max (Items, Length, Properties, imum), pattern,
 *   propertyOrdering; every other keyword (`additionalProperties`, `default`, `examples`, `$schema`,
 *   `$id`, `patternProperties`, `not`, `if/then/else`, …) is removed;
 * - type names are upper-cased (`STRING`, `OBJECT`, …).
 */
import { isRecord, type Json } from "./json";

const KEPT = new Set(["description", "title", "nullable", "minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "minProperties", "maxProperties", "propertyOrdering"]);
const TYPES = new Set(["string", "number", "integer", "boolean", "array", "object", "null"]);
const FORMATS: Readonly<Record<string, ReadonlySet<string>>> = {
  STRING: new Set(["enum", "date-time"]),
  NUMBER: new Set(["float", "double"]),
  INTEGER: new Set(["int32", "int64"]),
};
const MAX_DEPTH = 32;

interface Ctx {
  readonly root: Json;
  readonly refs: readonly string[];
  readonly depth: number;
}

export function toGeminiSchema(schema: unknown): Json {
  if (!isRecord(schema)) return { type: "OBJECT" };
  return convert(schema, { root: schema, refs: [], depth: 0 });
}

/** True when a (converted) object schema declares no properties: Gemini rejects such `parameters`. */
export function isEmptyObjectSchema(schema: Json): boolean {
  return schema["type"] === "OBJECT" && (!isRecord(schema["properties"]) || Object.keys(schema["properties"]).length === 0) && schema["anyOf"] === undefined;
}

function convert(input: Json, ctx: Ctx): Json {
  if (ctx.depth > MAX_DEPTH) return { type: "OBJECT" };
  const ref = input["$ref"];
  if (typeof ref === "string") return inlineRef(ref, input, ctx);
  const s = mergeAllOf(input);
  const out: Json = {};
  for (const key of KEPT) if (s[key] !== undefined) out[key] = s[key];
  const next: Ctx = { ...ctx, depth: ctx.depth + 1 };
  applyType(s, out, next);
  applyEnum(s, out);
  if (isRecord(s["properties"])) applyProperties(s, out, next);
  if (isRecord(s["items"])) out["items"] = convert(s["items"], next);
  else if (Array.isArray(s["items"]) && isRecord(s["items"][0])) out["items"] = convert(s["items"][0], next);
  const type = out["type"];
  const format = s["format"];
  if (typeof format === "string" && typeof type === "string" && FORMATS[type]?.has(format)) out["format"] = format;
  return out;
}

function inlineRef(ref: string, input: Json, ctx: Ctx): Json {
  const target = ctx.refs.includes(ref) ? undefined : resolve(ctx.root, ref);
  if (target === undefined) {
    const description = typeof input["description"] === "string" ? input["description"] : `see ${ref}`;
    return { type: "OBJECT", description };
  }
  const { $ref: _ref, ...siblings } = input;
  const merged = { ...target, ...siblings };
  return convert(merged, { root: ctx.root, refs: [...ctx.refs, ref], depth: ctx.depth + 1 });
}

function resolve(root: Json, ref: string): Json | undefined {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return isRecord(node) ? node : undefined;
}

function mergeAllOf(s: Json): Json {
  const all = s["allOf"];
  if (!Array.isArray(all) || all.length === 0) return s;
  const { allOf: _all, ...rest } = s;
  const merged: Json = { ...rest };
  const properties: Json = isRecord(rest["properties"]) ? { ...rest["properties"] } : {};
  const required = new Set<string>(Array.isArray(rest["required"]) ? rest["required"].filter((r): r is string => typeof r === "string") : []);
  for (const part of all) {
    if (!isRecord(part)) continue;
    for (const [k, v] of Object.entries(part)) {
      if (k === "properties" && isRecord(v)) Object.assign(properties, v);
      else if (k === "required" && Array.isArray(v)) v.forEach((r) => typeof r === "string" && required.add(r));
      else if (merged[k] === undefined) merged[k] = v;
    }
  }
  if (Object.keys(properties).length > 0) merged["properties"] = properties;
  if (required.size > 0) merged["required"] = [...required];
  return merged;
}

function applyType(s: Json, out: Json, ctx: Ctx): void {
  const raw = s["type"];
  const types = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((t): t is string => typeof t === "string" && TYPES.has(t));
  const nonNull = types.filter((t) => t !== "null");
  if (types.length > nonNull.length && nonNull.length > 0) out["nullable"] = true;
  if (nonNull.length === 1) out["type"] = (nonNull[0] as string).toUpperCase();
  else if (nonNull.length > 1) out["anyOf"] = nonNull.map((t) => ({ type: t.toUpperCase() }));
  else if (types.length === 1) out["type"] = "NULL";
  const union = Array.isArray(s["anyOf"]) ? s["anyOf"] : Array.isArray(s["oneOf"]) ? s["oneOf"] : null;
  if (union !== null) applyUnion(union, out, ctx);
  if (out["type"] === undefined && out["anyOf"] === undefined) {
    if (isRecord(s["properties"])) out["type"] = "OBJECT";
    else if (s["items"] !== undefined) out["type"] = "ARRAY";
    else if (s["enum"] !== undefined || s["const"] !== undefined) out["type"] = "STRING";
  }
}

function applyUnion(union: unknown[], out: Json, ctx: Ctx): void {
  const members = union.filter(isRecord);
  const nonNull = members.filter((m) => m["type"] !== "null");
  if (nonNull.length < members.length) out["nullable"] = true;
  if (nonNull.length === 1) {
    const only = convert(nonNull[0] as Json, ctx);
    for (const [k, v] of Object.entries(only)) if (out[k] === undefined) out[k] = v;
  } else if (nonNull.length > 1) {
    out["anyOf"] = nonNull.map((m) => convert(m, ctx));
  }
}

function applyEnum(s: Json, out: Json): void {
  const values = s["const"] !== undefined ? [s["const"]] : Array.isArray(s["enum"]) ? s["enum"] : null;
  if (values === null) return;
  const strings = values.filter((v) => v !== null).map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  if (values.includes(null)) out["nullable"] = true;
  out["enum"] = strings;
  out["type"] = "STRING";
}

function applyProperties(s: Json, out: Json, ctx: Ctx): void {
  const props = s["properties"] as Json;
  const converted: Json = {};
  for (const [name, value] of Object.entries(props)) converted[name] = convert(isRecord(value) ? value : {}, ctx);
  const names = Object.keys(converted);
  if (names.length > 0) out["properties"] = converted;
  out["type"] ??= "OBJECT";
  const required = Array.isArray(s["required"]) ? s["required"].filter((r): r is string => typeof r === "string" && names.includes(r)) : [];
  if (required.length > 0) out["required"] = required;
}
