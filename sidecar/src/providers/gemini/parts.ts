/**
 * OpenAI content parts → Gemini `Part`s (providers.md §4.3). Base64 data URLs become `inlineData`;
 * remote URLs become `fileData` only where the API takes them (Gemini API: Files-API URIs; Vertex AI:
 * `gs://` URIs) and are otherwise rejected: the sidecar does not fetch arbitrary addresses.
 */
import { invalid, isRecord, type Json } from "./json";

export type Dialect = "gemini" | "vertex";

const DATA_URL = /^data:([^;,]+)((?:;[^;,]+)*);base64,/;
const FILES_API = /^https:\/\/generativelanguage\.googleapis\.com\/(v1beta|v1)\/files\/[A-Za-z0-9._-]+$/;
const AUDIO_MIME: Readonly<Record<string, string>> = { wav: "audio/wav", mp3: "audio/mp3" };
const EXT_MIME: Readonly<Record<string, string>> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif",
  heic: "image/heic", heif: "image/heif", pdf: "application/pdf", wav: "audio/wav", mp3: "audio/mp3",
  txt: "text/plain", mp4: "video/mp4",
};

/** Text of a string or array-of-text-parts content (system, developer, tool, assistant messages). */
export function textOf(content: unknown, param: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) throw invalid("Message content must be a string or an array of parts.", param);
  const out: string[] = [];
  content.forEach((part, j) => {
    if (!isRecord(part)) throw invalid("Content part must be an object.", `${param}[${j}]`);
    if ((part["type"] === "text" || part["type"] === "refusal") && typeof (part["text"] ?? part["refusal"]) === "string") {
      out.push(String(part["text"] ?? part["refusal"]));
    } else {
      throw invalid(`Content part type '${String(part["type"])}' is not allowed in this message.`, `${param}[${j}]`);
    }
  });
  return out.join("");
}

/** User message content → parts. */
export function userParts(content: unknown, param: string, dialect: Dialect): Json[] {
  if (typeof content === "string") return [{ text: content }];
  if (!Array.isArray(content)) throw invalid("Message content must be a string or an array of parts.", param);
  return content.map((part, j) => userPart(part, `${param}[${j}]`, dialect));
}

function userPart(part: unknown, param: string, dialect: Dialect): Json {
  if (!isRecord(part)) throw invalid("Content part must be an object.", param);
  switch (part["type"]) {
    case "text":
      if (typeof part["text"] !== "string") throw invalid("Text part needs a string 'text'.", param);
      return { text: part["text"] };
    case "image_url":
      return imagePart(part["image_url"], `${param}.image_url`, dialect);
    case "input_audio":
      return audioPart(part["input_audio"], `${param}.input_audio`);
    case "file":
      return filePart(part["file"], `${param}.file`);
    default:
      throw invalid(`Content part type '${String(part["type"])}' is not supported by this provider.`, param);
  }
}

function imagePart(image: unknown, param: string, dialect: Dialect): Json {
  const url = isRecord(image) ? image["url"] : undefined;
  if (typeof url !== "string") throw invalid("image_url.url must be a string.", param);
  const inline = inlineFromDataUrl(url);
  if (inline !== null) return inline;
  if (dialect === "gemini" && FILES_API.test(url)) return { fileData: { fileUri: url } };
  if (dialect === "vertex" && url.startsWith("gs://")) {
    const mimeType = mimeFromName(url);
    if (mimeType === undefined) throw invalid("Cannot tell the MIME type of this gs:// URI from its extension.", param);
    return { fileData: { fileUri: url, mimeType } };
  }
  throw invalid(
    dialect === "gemini"
      ? "Remote image URLs are not fetched by the gateway: send a base64 data URL or a Gemini Files API URI."
      : "Remote image URLs are not fetched by the gateway: send a base64 data URL or a gs:// URI.",
    param,
  );
}

function audioPart(audio: unknown, param: string): Json {
  if (!isRecord(audio) || typeof audio["data"] !== "string") throw invalid("input_audio.data must be a base64 string.", param);
  const mimeType = AUDIO_MIME[String(audio["format"])];
  if (mimeType === undefined) throw invalid("input_audio.format must be 'wav' or 'mp3'.", param);
  return { inlineData: { mimeType, data: audio["data"] } };
}

function filePart(file: unknown, param: string): Json {
  if (!isRecord(file)) throw invalid("file must be an object.", param);
  const data = file["file_data"];
  if (typeof data !== "string") throw invalid("Only inline file_data is supported (file_id refers to OpenAI storage).", param);
  const inline = inlineFromDataUrl(data);
  if (inline !== null) return inline;
  const name = typeof file["filename"] === "string" ? file["filename"] : "";
  return { inlineData: { mimeType: mimeFromName(name) ?? "application/pdf", data } };
}

function inlineFromDataUrl(url: string): Json | null {
  const m = DATA_URL.exec(url);
  if (m === null) return null;
  return { inlineData: { mimeType: (m[1] as string).toLowerCase(), data: url.slice(m[0].length) } };
}

function mimeFromName(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  return dot === -1 ? undefined : EXT_MIME[name.slice(dot + 1).toLowerCase()];
}
