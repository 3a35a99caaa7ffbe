import { isUtf8 } from "node:buffer";
import type { IncomingMessage } from "node:http";
import { ApiError } from "../errors/codes";

export const MAX_BODY_BYTES = 1024 * 1024;

/** True for `application/json` with optional parameters (`; charset=utf-8`). */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const type = header.split(";", 1)[0]?.trim().toLowerCase();
  return type === "application/json";
}

/** Reads and parses a JSON body of at most `limit` bytes (413 beyond, 400 invalid_json if unparsable). */
export async function readJsonBody(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new ApiError("payload_too_large", `The request body exceeds ${limit} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new ApiError("payload_too_large", `The request body exceeds ${limit} bytes.`);
    chunks.push(buf);
  }
  const bytes = Buffer.concat(chunks, size);
  if (!isUtf8(bytes)) throw new ApiError("invalid_json", "The request body is not valid UTF-8.");
  const text = bytes.toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("invalid_json", text.length === 0 ? "The request body is empty; expected JSON." : "The request body is not valid JSON.");
  }
}
