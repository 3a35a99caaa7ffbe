import { ProxyError } from "../../errors/proxy-error";
import { isObject } from "../shared/json-bytes";

/** OpenAI messages → Cohere v2 messages (§6.2). Throws invalid_request for content Cohere cannot take. */
export function cohereMessages(messages: unknown): unknown[] {
  if (!Array.isArray(messages)) throw new ProxyError("invalid_request", "'messages' must be an array.", "messages");
  return messages.map((m, i) => {
    if (!isObject(m)) throw new ProxyError("invalid_request", `messages[${i}] must be an object.`, `messages[${i}]`);
    switch (m["role"]) {
      case "system":
      case "developer":
        return { role: "system", content: textOf(m["content"], i) };
      case "user":
        return { role: "user", content: userContent(m["content"], i) };
      case "assistant":
        return assistantMessage(m, i);
      case "tool":
        return { role: "tool", tool_call_id: String(m["tool_call_id"] ?? ""), content: textOf(m["content"], i) };
      default:
        throw new ProxyError("invalid_request", `messages[${i}].role ${JSON.stringify(m["role"])} is not supported by Cohere.`, `messages[${i}].role`);
    }
  });
}

/** String content, or text/refusal parts joined (other parts are rejected). */
function textOf(content: unknown, i: number): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) throw new ProxyError("invalid_request", `messages[${i}].content is invalid.`, `messages[${i}].content`);
  return content
    .map((p, j) => {
      if (isObject(p) && p["type"] === "text" && typeof p["text"] === "string") return p["text"];
      if (isObject(p) && p["type"] === "refusal" && typeof p["refusal"] === "string") return p["refusal"];
      throw new ProxyError("invalid_request", `messages[${i}].content[${j}] must be a text part here.`, `messages[${i}].content[${j}]`);
    })
    .join("");
}

/** User content: a string, or text + image_url parts (data URLs and https URLs are both accepted by Cohere). */
function userContent(content: unknown, i: number): unknown {
  if (!Array.isArray(content)) return textOf(content, i);
  return content.map((p, j) => {
    const param = `messages[${i}].content[${j}]`;
    if (isObject(p) && p["type"] === "text" && typeof p["text"] === "string") return { type: "text", text: p["text"] };
    if (isObject(p) && p["type"] === "image_url") {
      const image = p["image_url"];
      const url = isObject(image) ? image["url"] : image;
      if (typeof url !== "string" || !/^(data:image\/[\w.+-]+;base64,|https?:\/\/)/.test(url)) {
        throw new ProxyError("invalid_request", `${param}.image_url must be a data:image/…;base64 or http(s) URL.`, `${param}.image_url`);
      }
      const detail = isObject(image) ? image["detail"] : undefined;
      return { type: "image_url", image_url: typeof detail === "string" ? { url, detail } : { url } };
    }
    throw new ProxyError("invalid_request", `${param}: only text and image_url parts are supported by Cohere.`, param);
  });
}

function assistantMessage(m: Record<string, unknown>, i: number): Record<string, unknown> {
  const out: Record<string, unknown> = { role: "assistant" };
  const text = textOf(m["content"], i);
  if (text !== "") out["content"] = text;
  const calls = m["tool_calls"];
  if (Array.isArray(calls) && calls.length > 0) {
    out["tool_calls"] = calls.map((c) => {
      const fn = isObject(c) && isObject(c["function"]) ? c["function"] : {};
      return { id: isObject(c) ? String(c["id"] ?? "") : "", type: "function", function: { name: String(fn["name"] ?? ""), arguments: validArguments(fn["arguments"]) } };
    });
  }
  return out;
}

/** #8: arguments that are not valid JSON are sent as "{}" (the translator never crashes on them). */
export function validArguments(args: unknown): string {
  if (typeof args !== "string") return args !== null && typeof args === "object" ? JSON.stringify(args) : "{}";
  try {
    JSON.parse(args);
    return args;
  } catch {
    return "{}";
  }
}
