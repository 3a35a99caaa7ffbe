/**
 * Inbound Messages request → canonical OpenAI chat request JSON, for providers that do not speak the
 * Messages API. Pure. Fields with no canonical equivalent that only tune output (`cache_control`, `top_k`,
 * `thinking`, `metadata` other than `user_id`) are dropped; content that cannot be expressed (server tools,
 * URL documents) is rejected with `invalid_request` naming the field.
 */
import { invalidParam, isRecord, type Json } from "../../shared/json-bytes";

type Part = Json;

function textOf(blocks: readonly unknown[], path: string): string {
  const texts: string[] = [];
  blocks.forEach((b, i) => {
    if (!isRecord(b) || b["type"] !== "text" || typeof b["text"] !== "string") {
      throw invalidParam(`${path}.${i}`, `${path}.${i}: only text blocks are supported here.`);
    }
    texts.push(b["text"]);
  });
  return texts.join("\n");
}

function systemText(system: unknown, path = "system"): string | undefined {
  if (system === undefined || system === null) return undefined;
  if (typeof system === "string") return system === "" ? undefined : system;
  if (Array.isArray(system)) return textOf(system, path) || undefined;
  throw invalidParam(path, `${path}: must be a string or an array of text blocks.`);
}

function imagePart(source: unknown, path: string): Part {
  if (isRecord(source) && source["type"] === "base64" && typeof source["media_type"] === "string" && typeof source["data"] === "string") {
    return { type: "image_url", image_url: { url: `data:${source["media_type"]};base64,${source["data"]}` } };
  }
  if (isRecord(source) && source["type"] === "url" && typeof source["url"] === "string") {
    return { type: "image_url", image_url: { url: source["url"] } };
  }
  throw invalidParam(`${path}.source`, `${path}.source: an image needs a base64 or url source.`);
}

function documentPart(block: Json, path: string): Part {
  const source = block["source"];
  if (isRecord(source) && source["type"] === "text" && typeof source["data"] === "string") return { type: "text", text: source["data"] };
  if (isRecord(source) && source["type"] === "base64" && typeof source["media_type"] === "string" && typeof source["data"] === "string") {
    const file: Json = { file_data: `data:${source["media_type"]};base64,${source["data"]}` };
    if (typeof block["title"] === "string") file["filename"] = block["title"];
    return { type: "file", file };
  }
  throw invalidParam(`${path}.source`, `${path}.source: only base64 and text documents can be sent to this model.`);
}

function toolResultContent(content: unknown, path: string): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return textOf(content, `${path}.content`);
  throw invalidParam(`${path}.content`, `${path}.content: must be a string or text blocks.`);
}

/** A user turn: tool results first (each its own `tool` message, as the canonical form needs), then the rest. */
function userMessages(content: unknown, path: string): Json[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const out: Json[] = [];
  const parts: Part[] = [];
  (content as unknown[]).forEach((block, i) => {
    const at = `${path}.${i}`;
    if (!isRecord(block)) throw invalidParam(at, `${at}: must be a content block.`);
    switch (block["type"]) {
      case "text":
        if (typeof block["text"] !== "string") throw invalidParam(`${at}.text`, `${at}.text: must be a string.`);
        parts.push({ type: "text", text: block["text"] });
        return;
      case "image":
        parts.push(imagePart(block["source"], at));
        return;
      case "document":
        parts.push(documentPart(block, at));
        return;
      case "tool_result": {
        if (typeof block["tool_use_id"] !== "string") throw invalidParam(`${at}.tool_use_id`, `${at}.tool_use_id: must be a string.`);
        const text = toolResultContent(block["content"], at);
        out.push({ role: "tool", tool_call_id: block["tool_use_id"], content: block["is_error"] === true ? `Error: ${text}` : text });
        return;
      }
      default:
        throw invalidParam(`${at}.type`, `${at}.type: '${String(block["type"])}' blocks cannot be sent to this model.`);
    }
  });
  if (parts.length > 0) {
    const onlyText = parts.every((p) => p["type"] === "text");
    out.push({ role: "user", content: onlyText ? parts.map((p) => p["text"] as string).join("\n") : parts });
  }
  return out;
}

/** An assistant turn: text joined, tool_use → tool_calls; thinking blocks are dropped (provider-specific). */
function assistantMessage(content: unknown, path: string): Json {
  if (typeof content === "string") return { role: "assistant", content };
  const texts: string[] = [];
  const calls: Json[] = [];
  (content as unknown[]).forEach((block, i) => {
    const at = `${path}.${i}`;
    if (!isRecord(block)) throw invalidParam(at, `${at}: must be a content block.`);
    const type = block["type"];
    if (type === "text" && typeof block["text"] === "string") texts.push(block["text"]);
    else if (type === "tool_use" && typeof block["id"] === "string" && typeof block["name"] === "string") {
      const input = isRecord(block["input"]) ? block["input"] : {};
      calls.push({ id: block["id"], type: "function", function: { name: block["name"], arguments: JSON.stringify(input) } });
    } else if (type !== "thinking" && type !== "redacted_thinking") {
      throw invalidParam(`${at}.type`, `${at}.type: '${String(type)}' blocks cannot be sent to this model.`);
    }
  });
  const out: Json = { role: "assistant", content: texts.length > 0 ? texts.join("\n") : null };
  if (calls.length > 0) out["tool_calls"] = calls;
  return out;
}

function convertTools(tools: unknown): Json[] | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw invalidParam("tools", "tools: must be an array.");
  return tools.map((t: unknown, i) => {
    if (!isRecord(t) || typeof t["name"] !== "string" || !isRecord(t["input_schema"])) {
      throw invalidParam(`tools.${i}`, `tools.${i}: only client tools with a name and input_schema can be sent to this model.`);
    }
    const fn: Json = { name: t["name"], parameters: t["input_schema"] };
    if (typeof t["description"] === "string") fn["description"] = t["description"];
    return { type: "function", function: fn };
  });
}

function convertToolChoice(choice: unknown, out: Json): void {
  if (choice === undefined || choice === null) return;
  if (!isRecord(choice)) throw invalidParam("tool_choice", "tool_choice: must be an object.");
  switch (choice["type"]) {
    case "auto":
      out["tool_choice"] = "auto";
      break;
    case "any":
      out["tool_choice"] = "required";
      break;
    case "none":
      out["tool_choice"] = "none";
      break;
    case "tool":
      if (typeof choice["name"] !== "string") throw invalidParam("tool_choice.name", "tool_choice.name: must be a string.");
      out["tool_choice"] = { type: "function", function: { name: choice["name"] } };
      break;
    default:
      throw invalidParam("tool_choice.type", "tool_choice.type: must be auto, any, tool or none.");
  }
  if (choice["disable_parallel_tool_use"] === true && out["tools"] !== undefined) out["parallel_tool_calls"] = false;
}

/** The canonical chat request for a checked Messages body (see check.ts). Throws `invalid_request`. */
export function messagesToChat(json: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const messages: Json[] = [];
  const system = systemText(json["system"]);
  if (system !== undefined) messages.push({ role: "system", content: system });
  (json["messages"] as unknown[]).forEach((m, i) => {
    const turn = m as Json;
    const path = `messages.${i}.content`;
    if (turn["role"] === "user") messages.push(...userMessages(turn["content"], path));
    else if (turn["role"] === "system") messages.push({ role: "system", content: systemText(turn["content"], path) ?? "" });
    else messages.push(assistantMessage(turn["content"], path));
  });
  // max_completion_tokens: what OpenAI's reasoning models require; vendors that only read max_tokens get it
  // renamed by their quirk table.
  const out: Record<string, unknown> = { model: json["model"], messages, max_completion_tokens: json["max_tokens"] };
  for (const field of ["temperature", "top_p"] as const) {
    const value = json[field];
    if (value !== undefined && value !== null) {
      if (typeof value !== "number") throw invalidParam(field, `${field}: must be a number.`);
      out[field] = value;
    }
  }
  const stop = json["stop_sequences"];
  if (stop !== undefined && stop !== null) {
    if (!Array.isArray(stop) || !stop.every((s) => typeof s === "string")) throw invalidParam("stop_sequences", "stop_sequences: must be an array of strings.");
    if (stop.length > 0) out["stop"] = stop;
  }
  const tools = convertTools(json["tools"]);
  if (tools !== undefined && tools.length > 0) out["tools"] = tools;
  convertToolChoice(json["tool_choice"], out);
  const metadata = json["metadata"];
  if (isRecord(metadata) && typeof metadata["user_id"] === "string" && metadata["user_id"] !== "") out["user"] = metadata["user_id"];
  if (json["stream"] === true) {
    out["stream"] = true;
    out["stream_options"] = { include_usage: true };
  }
  return out;
}
