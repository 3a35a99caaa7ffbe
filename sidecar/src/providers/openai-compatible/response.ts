import type { MappedError, NormalizedUsage, ParsedResponse, UpstreamHeaders } from "../types";
import { asBuffer, isRecord, isSpace, tryParseJson } from "./bytes";
import { finishReasonOf, usageFromOpenAi } from "./usage";
import { scanOpenAiUsage } from "./usage-scan";

/**
 * Non-stream success: the bytes pass through unchanged. Fast path: a body framed as one JSON object whose
 * `"usage":{…}` member is located by a byte search and only that object is read (scanned in place,
 * usage-scan.ts; JSON.parse when it is outside what the scanner reads). Otherwise (no usage
 * member, odd framing, parse failure) the whole body is parsed once.
 */
export function parseChatResponse(body: Uint8Array): ParsedResponse {
  return fastParse(body) ?? fullParse(body);
}

const USAGE_MEMBER = Buffer.from('"usage":{');
const FINISH_MEMBER = Buffer.from('"finish_reason":"');
const OPEN = 0x7b;
const CLOSE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function fastParse(body: Uint8Array): ParsedResponse | null {
  const buf = asBuffer(body);
  let first = 0;
  let last = buf.length - 1;
  while (first < last && isSpace(buf[first])) first++;
  while (last > first && isSpace(buf[last])) last--;
  if (buf[first] !== OPEN || buf[last] !== CLOSE) return null;
  const at = buf.lastIndexOf(USAGE_MEMBER);
  if (at === -1) return null;
  const start = at + USAGE_MEMBER.length - 1;
  const end = objectEnd(buf, start, last);
  if (end === -1) return null;
  const normalized = scanOpenAiUsage(buf, start, end) ?? parseUsage(buf, start, end);
  if (normalized === null) return null;
  return new PassedThrough(body, normalized, buf, at);
}

/**
 * A pass-through answer. Its finish_reason is looked up only when read: the proxy's own path never reads
 * it, and the byte search for it cost ~0.3 µs per request under load.
 */
class PassedThrough {
  readonly ok = true;

  constructor(
    readonly body: Uint8Array,
    readonly usage: NormalizedUsage,
    private readonly buf: Buffer,
    private readonly usageAt: number,
  ) {}

  get finishReason(): string | null {
    return peekFinish(this.buf, this.usageAt);
  }
}

/** The usage object the scanner does not read (see usage-scan.ts): JSON.parse; null when it does not parse. */
function parseUsage(buf: Buffer, start: number, end: number): NormalizedUsage | null {
  try {
    return usageFromOpenAi(JSON.parse(buf.toString("utf8", start, end)));
  } catch {
    return null;
  }
}

/** Index after the `}` closing the object that opens at `start`, skipping strings; -1 if none before `limit`. */
function objectEnd(buf: Buffer, start: number, limit: number): number {
  let depth = 0;
  for (let i = start; i < limit; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      i++;
      while (i < limit && buf[i] !== QUOTE) i += buf[i] === BACKSLASH ? 2 : 1;
    } else if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) return i + 1;
  }
  return -1;
}

/** The finish_reason just before the usage member (choices precede usage in OpenAI responses). */
function peekFinish(buf: Buffer, before: number): string | null {
  const at = buf.lastIndexOf(FINISH_MEMBER, before);
  if (at === -1) return null;
  const start = at + FINISH_MEMBER.length;
  const end = buf.indexOf(QUOTE, start);
  return end > start ? buf.toString("latin1", start, end) : null;
}

function fullParse(body: Uint8Array): ParsedResponse {
  const json = tryParseJson(body);
  if (!isRecord(json)) return { ok: false, reason: "response body is not a JSON object" };
  return { ok: true, body, usage: usageFromOpenAi(json["usage"]), finishReason: finishReasonOf(json) };
}

const RELAYED_HEADERS = ["retry-after", "retry-after-ms", "x-should-retry"] as const;

/** Provider errors are already OpenAI-shaped: relay status, body and retry hints. Anything else is a 502. */
export function mapError(status: number, headers: UpstreamHeaders, body: Uint8Array): MappedError {
  const json = tryParseJson(body);
  if (!isRecord(json) || json["error"] === undefined) {
    return {
      kind: "code",
      code: "upstream_invalid_response",
      message: `The upstream provider answered HTTP ${status} with a body that is not an OpenAI error object.`,
    };
  }
  const relayed: string[] = ["content-type", "application/json"];
  for (const name of RELAYED_HEADERS) {
    const value = headers[name];
    if (typeof value === "string") relayed.push(name, value);
  }
  return { kind: "relay", status, body, headers: relayed };
}
