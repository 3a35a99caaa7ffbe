/** OpenAI content parts → Anthropic content blocks (providers.md §3.3 step 3). */
import { invalid, isRecord } from "./json";
import type { DocumentBlock, ImageBlock, ImageMediaType, TextBlock, UserContentBlock } from "./wire";

const IMAGE_TYPES: ReadonlySet<string> = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

/** `data:<mime>;base64,<data>` → parts, or null when not a base64 data URL. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | null {
  if (!url.startsWith("data:")) return null;
  const comma = url.indexOf(",");
  if (comma === -1) return null;
  const meta = url.slice(5, comma);
  if (!meta.endsWith(";base64")) return null;
  return { mediaType: meta.slice(0, -7).toLowerCase(), data: url.slice(comma + 1) };
}

export function imageBlock(part: unknown, param: string): ImageBlock {
  const url = isRecord(part) && isRecord(part["image_url"]) ? part["image_url"]["url"] : undefined;
  if (typeof url !== "string") throw invalid(param, "image_url.url must be a string.");
  const data = parseDataUrl(url);
  if (data !== null) {
    if (!IMAGE_TYPES.has(data.mediaType)) {
      throw invalid(param, `Unsupported image type '${data.mediaType}' (jpeg, png, gif or webp).`);
    }
    return { type: "image", source: { type: "base64", media_type: data.mediaType as ImageMediaType, data: data.data } };
  }
  if (url.startsWith("https://") || url.startsWith("http://")) return { type: "image", source: { type: "url", url } };
  throw invalid(param, "image_url.url must be an http(s) URL or a base64 data URL.");
}

/** `{type:"file", file:{file_data}}` → a document block (PDF or plain text). File ids cannot be resolved. */
export function documentBlock(part: unknown, param: string): DocumentBlock {
  const file = isRecord(part) ? part["file"] : undefined;
  const fileData = isRecord(file) ? file["file_data"] : undefined;
  if (typeof fileData !== "string" || fileData === "") {
    throw invalid(param, "Only inline file_data is supported for this provider (file_id cannot be resolved).");
  }
  const filename = isRecord(file) && typeof file["filename"] === "string" ? file["filename"] : undefined;
  const parsed = parseDataUrl(fileData) ?? { mediaType: "application/pdf", data: fileData };
  const title = filename === undefined ? {} : { title: filename };
  if (parsed.mediaType === "application/pdf") {
    return { type: "document", source: { type: "base64", media_type: "application/pdf", data: parsed.data }, ...title };
  }
  if (parsed.mediaType === "text/plain") {
    const text = Buffer.from(parsed.data, "base64").toString("utf8");
    return { type: "document", source: { type: "text", media_type: "text/plain", data: text }, ...title };
  }
  throw invalid(param, `Unsupported file type '${parsed.mediaType}' (application/pdf or text/plain).`);
}

/** Text of a string or text-part array (system, developer, assistant, tool content). Refusal parts count as text. */
export function textOf(content: unknown, param: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) throw invalid(param, "content must be a string or an array of parts.");
  let out = "";
  content.forEach((part: unknown, j) => {
    if (!isRecord(part)) throw invalid(`${param}[${j}]`, "content parts must be objects.");
    const text = part["type"] === "refusal" ? part["refusal"] : part["text"];
    if ((part["type"] !== "text" && part["type"] !== "refusal") || typeof text !== "string") {
      throw invalid(`${param}[${j}]`, "Only text parts are allowed here.");
    }
    out += text;
  });
  return out;
}

export function textBlock(text: string): TextBlock {
  return { type: "text", text };
}

/** User content: text (empty strings dropped: Anthropic rejects empty text blocks), images, files. */
export function userBlocks(content: unknown, param: string): UserContentBlock[] {
  if (typeof content === "string") return content === "" ? [] : [textBlock(content)];
  if (!Array.isArray(content)) throw invalid(param, "content must be a string or an array of parts.");
  const out: UserContentBlock[] = [];
  content.forEach((part: unknown, j) => {
    const at = `${param}[${j}]`;
    const type = isRecord(part) ? part["type"] : undefined;
    if (type === "text") {
      const text = (part as Record<string, unknown>)["text"];
      if (typeof text !== "string") throw invalid(at, "text part needs a string 'text'.");
      if (text !== "") out.push(textBlock(text));
    } else if (type === "image_url") out.push(imageBlock(part, `${at}.image_url`));
    else if (type === "file") out.push(documentBlock(part, `${at}.file`));
    else throw invalid(at, `Content part type '${String(type)}' is not supported by this provider.`);
  });
  return out;
}
