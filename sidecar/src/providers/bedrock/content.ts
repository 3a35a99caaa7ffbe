/**
 * OpenAI content parts → Converse content blocks. Images and files must be inline bytes (base64 in the JSON
 * wire format); remote URLs are rejected because the sidecar does not fetch arbitrary addresses.
 */
import { invalidParam, isRecord, type Json } from "./json";

export type Block = Json;

const IMAGE_FORMATS: Readonly<Record<string, string>> = { "image/png": "png", "image/jpeg": "jpeg", "image/jpg": "jpeg", "image/gif": "gif", "image/webp": "webp" };
const DOCUMENT_MIME: Readonly<Record<string, string>> = {
  "application/pdf": "pdf",
  "text/csv": "csv",
  "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.ms-excel": "xls",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "text/html": "html",
  "text/plain": "txt",
  "text/markdown": "md",
};
const DOCUMENT_EXT = new Set(Object.values(DOCUMENT_MIME));
const DATA_URL = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)(?:;[a-z0-9=.+-]+)*;base64,(.*)$/is;

/** A text block, or null for blank text (Converse rejects blank text blocks). */
export function textBlock(text: string): Block | null {
  return text.trim() === "" ? null : { text };
}

/** Text of a string or an array of `{type:"text"|"refusal"}` parts; other parts are rejected. */
export function textOf(content: unknown, param: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) throw invalidParam(param, "content must be a string or an array of parts.");
  const texts: string[] = [];
  content.forEach((part: unknown, j) => {
    if (isRecord(part) && part["type"] === "text" && typeof part["text"] === "string") texts.push(part["text"]);
    else if (isRecord(part) && part["type"] === "refusal" && typeof part["refusal"] === "string") texts.push(part["refusal"]);
    else throw invalidParam(`${param}[${j}]`, "Only text parts are allowed here.");
  });
  return texts.join("\n");
}

/** A user message's content → blocks (text, image, document). */
export function userBlocks(content: unknown, param: string, names: Set<string>): Block[] {
  if (typeof content === "string") return nonNull([textBlock(content)]);
  if (!Array.isArray(content)) throw invalidParam(param, "content must be a string or an array of parts.");
  return nonNull(content.map((part: unknown, j) => partBlock(part, `${param}[${j}]`, names)));
}

function partBlock(part: unknown, param: string, names: Set<string>): Block | null {
  if (!isRecord(part)) throw invalidParam(param, "A content part must be an object.");
  switch (part["type"]) {
    case "text":
      if (typeof part["text"] !== "string") throw invalidParam(param, "A text part needs 'text'.");
      return textBlock(part["text"]);
    case "image_url":
      return imageBlock(part["image_url"], `${param}.image_url`);
    case "file":
      return documentBlock(part["file"], `${param}.file`, names);
    default:
      throw invalidParam(param, `Content part type ${JSON.stringify(part["type"])} is not supported by Bedrock Converse.`);
  }
}

function imageBlock(image: unknown, param: string): Block {
  const url = isRecord(image) ? image["url"] : typeof image === "string" ? image : undefined;
  if (typeof url !== "string") throw invalidParam(param, "image_url needs a 'url'.");
  const data = DATA_URL.exec(url);
  if (data === null) {
    throw invalidParam(param, "Bedrock accepts only inline images and the sidecar does not fetch remote URLs; send a base64 data URL.");
  }
  const format = IMAGE_FORMATS[(data[1] ?? "").toLowerCase()];
  if (format === undefined) throw invalidParam(param, "Image type must be png, jpeg, gif or webp.");
  return { image: { format, source: { bytes: data[2] ?? "" } } };
}

function documentBlock(file: unknown, param: string, names: Set<string>): Block {
  if (!isRecord(file) || typeof file["file_data"] !== "string") {
    throw invalidParam(param, "Only inline files ('file_data') are supported; file ids cannot be resolved.");
  }
  const raw = file["file_data"];
  const filename = typeof file["filename"] === "string" ? file["filename"] : "";
  const data = DATA_URL.exec(raw);
  const dot = filename.lastIndexOf(".");
  const ext = dot === -1 ? "" : filename.slice(dot + 1).toLowerCase();
  const format = (data !== null ? DOCUMENT_MIME[(data[1] ?? "").toLowerCase()] : undefined) ?? (DOCUMENT_EXT.has(ext) ? ext : undefined);
  if (format === undefined) throw invalidParam(param, "File type must be one of pdf, csv, doc, docx, xls, xlsx, html, txt, md.");
  return { document: { format, name: documentName(dot === -1 ? filename : filename.slice(0, dot), names), source: { bytes: data !== null ? (data[2] ?? "") : raw } } };
}

/** Converse document names allow letters, digits, single spaces, hyphens, parentheses and brackets; unique per request. */
function documentName(base: string, names: Set<string>): string {
  const clean = base.replace(/[^A-Za-z0-9\s\-()[\]]/g, "-").replace(/\s+/g, " ").trim() || "document";
  let name = clean;
  for (let i = 2; names.has(name); i++) name = `${clean}-${i}`;
  names.add(name);
  return name;
}

function nonNull(blocks: (Block | null)[]): Block[] {
  return blocks.filter((b): b is Block => b !== null);
}
