import { ProxyError } from "../../errors/proxy-error";
import type { RequestContext } from "../context";
import { parseJsonBody } from "../json-body";

/** Upper bounds on counts the proxy itself reads: far above any provider's limit, below absurd. */
export const CHAT_LIMITS = Object.freeze({ maxTokens: 2_147_483_647, n: 128, messages: 100_000 });

function invalid(message: string, param: string | null): ProxyError {
  return new ProxyError("invalid_request", message, param);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function badCount(value: unknown, max: number): boolean {
  return value !== undefined && value !== null && !(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max);
}

/**
 * The narrow hand-written check of the fields the proxy itself relies on. Everything else is the
 * provider's business. `null` counts as absent for optional fields (as the OpenAI API does).
 */
export function checkChatBody(json: unknown): ProxyError | null {
  if (!isPlainObject(json)) return invalid("The request body must be a JSON object.", null);
  const model = json["model"];
  if (typeof model !== "string" || model === "") return invalid("'model' must be a non-empty string.", "model");
  const messages = json["messages"];
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalid("'messages' must be a non-empty array.", "messages");
  }
  if (messages.length > CHAT_LIMITS.messages) {
    return invalid(`'messages' may hold at most ${CHAT_LIMITS.messages} entries.`, "messages");
  }
  const stream = json["stream"];
  if (stream !== undefined && stream !== null && typeof stream !== "boolean") {
    return invalid("'stream' must be a boolean.", "stream");
  }
  const options = json["stream_options"];
  if (options !== undefined && options !== null) {
    if (!isPlainObject(options)) return invalid("'stream_options' must be an object.", "stream_options");
    const include = options["include_usage"];
    if (include !== undefined && include !== null && typeof include !== "boolean") {
      return invalid("'stream_options.include_usage' must be a boolean.", "stream_options.include_usage");
    }
  }
  for (const field of ["max_tokens", "max_completion_tokens", "n"] as const) {
    const max = field === "n" ? CHAT_LIMITS.n : CHAT_LIMITS.maxTokens;
    if (badCount(json[field], max)) return invalid(`'${field}' must be an integer from 0 to ${max}.`, field);
  }
  return null;
}

/** The context's body parsed as JSON (UTF-8 and depth checked), or the rejection for an empty or malformed body. */
export function parseContextBody(ctx: RequestContext): { readonly json: unknown } | ProxyError {
  const body = ctx.body;
  if (body === null || body.length === 0) return invalid("The request body is empty.", null);
  return parseJsonBody(body);
}

/** Parses the body once and fills model / stream / includeUsage on the context. */
export function parseChatBody(ctx: RequestContext): ProxyError | null {
  const parsed = parseContextBody(ctx);
  if (parsed instanceof ProxyError) return parsed;
  const json = parsed.json;
  const problem = checkChatBody(json);
  if (problem !== null) return problem;
  const fields = json as Record<string, unknown>;
  ctx.json = fields;
  ctx.model = fields["model"] as string;
  ctx.stream = fields["stream"] === true;
  const options = fields["stream_options"];
  ctx.includeUsage = isPlainObject(options) && options["include_usage"] === true;
  return null;
}
