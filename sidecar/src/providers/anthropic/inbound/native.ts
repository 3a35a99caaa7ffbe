/**
 * Messages requests routed to an Anthropic deployment: the client's body goes upstream as sent (only
 * `model` rewritten to the deployment's upstream model), and the response bytes — JSON or SSE events — come
 * back unchanged. Usage is read from the bytes for accounting: the body's `usage`, or the `message_start` and
 * `message_delta` events (the only events parsed; content deltas are forwarded without parsing).
 */
import { SseScanner, eventData } from "../../../sse/scanner";
import { relayHeaders, RETRY_HEADERS } from "../../shared/error-envelope";
import { isRecord, parseJsonBytes } from "../../shared/json-bytes";
import type { MappedError, NativeExchange, NativeInput, NormalizedUsage, ParsedResponse, PreparedDeployment, StreamDecoder, UpstreamHeaders, UpstreamRequest } from "../../types";
import { emptyCounts, finishReasonFor, mergeCounts, normalizeCounts } from "../mapping";
import { errorEventText, errorJson, errorTypeForStatus } from "./errors";

const VERSION = "anthropic-version";
const BETA = "anthropic-beta";

/** Client headers forwarded upstream: its API version (its body is written against it) and beta flags. */
export const FORWARDED_HEADERS: readonly string[] = Object.freeze([VERSION, BETA]);

/** The deployment's constant headers with the client's version replacing the default and betas merged. */
export function nativeHeaders(base: readonly string[], client: Readonly<Record<string, string>>): readonly string[] {
  const version = client[VERSION]?.trim();
  const beta = client[BETA]?.trim();
  if (!version && !beta) return base;
  const out: string[] = [];
  let betaSeen = false;
  for (let i = 0; i + 1 < base.length; i += 2) {
    const name = base[i] as string;
    let value = base[i + 1] as string;
    if (name === VERSION && version) value = version;
    if (name === BETA && beta) {
      betaSeen = true;
      value = [...new Set([...value.split(","), ...beta.split(",")].map((s) => s.trim()).filter((s) => s !== ""))].join(",");
    }
    out.push(name, value);
  }
  if (beta && !betaSeen) out.push(BETA, beta);
  return out;
}

export function buildNativeRequest(target: PreparedDeployment, input: NativeInput): UpstreamRequest {
  const body = input.json["model"] === input.upstreamModel ? input.body : Buffer.from(JSON.stringify({ ...input.json, model: input.upstreamModel }));
  return { method: "POST", path: target.chatPath, headers: nativeHeaders(target.headers, input.clientHeaders), body };
}

/** Usage and stop reason of a Message body; the body itself is relayed unchanged. */
export function parseNativeResponse(body: Uint8Array): ParsedResponse {
  const json = parseJsonBytes(body);
  if (!isRecord(json) || json["type"] !== "message") return { ok: false, reason: "response is not a Message" };
  const counts = emptyCounts();
  mergeCounts(counts, json["usage"]);
  return { ok: true, body, usage: normalizeCounts(counts), finishReason: finishReasonFor(json["stop_reason"]) };
}

const EVENT_PREFIX = [0x65, 0x76, 0x65, 0x6e, 0x74, 0x3a]; // "event:"

/** The `event:` name of a raw SSE event when it is the first line (as the Messages API sends it), else "". */
function eventName(raw: Uint8Array): string {
  if (raw.length < EVENT_PREFIX.length) return "";
  for (let i = 0; i < EVENT_PREFIX.length; i++) if (raw[i] !== EVENT_PREFIX[i]) return "";
  let end = raw.indexOf(0x0a);
  if (end === -1) end = raw.length;
  return Buffer.from(raw.buffer, raw.byteOffset + EVENT_PREFIX.length, end - EVENT_PREFIX.length).toString("latin1").trim();
}

/** Forwards every byte as received; watches the usage-bearing events. */
export class NativeStreamDecoder implements StreamDecoder {
  finishReason: string | null = null;
  started = false;
  private readonly scanner = new SseScanner();
  private readonly counts = emptyCounts();
  private sawStart = false;
  private ended = false;
  private readonly onEvent = (event: Uint8Array): void => this.event(event);

  get usage(): NormalizedUsage | null {
    return this.sawStart ? normalizeCounts(this.counts) : null;
  }

  push(chunk: Uint8Array): Uint8Array | null {
    if (chunk.length === 0) return null;
    this.scanner.push(chunk, this.onEvent);
    return chunk;
  }

  /** A stream cut before `message_stop` (and without an error event) gets an `event: error` so clients notice. */
  end(): Uint8Array | null {
    const rest = this.scanner.finish();
    if (rest.length > 0) this.event(rest);
    if (this.ended) return null;
    return Buffer.from(errorEventText("api_error", "The upstream stream ended before message_stop."));
  }

  private event(raw: Uint8Array): void {
    let name = eventName(raw);
    if (name === "content_block_delta" || name === "content_block_start") {
      this.started = true;
      return;
    }
    if (name === "ping" || name === "content_block_stop") return;
    const data = eventData(raw);
    if (data === null || data.length === 0) return;
    const json = parseJsonBytes(data);
    if (!isRecord(json)) return;
    if (name === "") name = typeof json["type"] === "string" ? json["type"] : "";
    if (name === "message_start") {
      this.sawStart = true;
      mergeCounts(this.counts, isRecord(json["message"]) ? json["message"]["usage"] : undefined);
    } else if (name === "message_delta") {
      mergeCounts(this.counts, json["usage"]);
      const delta = json["delta"];
      if (isRecord(delta) && typeof delta["stop_reason"] === "string") this.finishReason = finishReasonFor(delta["stop_reason"]);
    } else if (name === "message_stop" || name === "error") {
      this.ended = true;
    } else if (name === "content_block_delta" || name === "content_block_start") {
      this.started = true; // an event without an `event:` line
    }
  }
}

const RATE_LIMIT_HEADERS: readonly string[] = Object.freeze(
  ["requests", "tokens", "input-tokens", "output-tokens"].flatMap((kind) => ["limit", "remaining", "reset"].map((f) => `anthropic-ratelimit-${kind}-${f}`)),
);
const RELAYED_HEADERS: readonly string[] = Object.freeze([...RETRY_HEADERS, ...RATE_LIMIT_HEADERS]);

/** The provider's error relayed with its own status and body (already the client's shape); retry and rate-limit headers kept. */
export function mapNativeError(status: number, headers: UpstreamHeaders, body: Uint8Array): MappedError {
  const json = parseJsonBytes(body);
  const isAnthropicError = isRecord(json) && json["type"] === "error" && isRecord(json["error"]);
  const out = isAnthropicError ? body : Buffer.from(errorJson(errorTypeForStatus(status), `upstream answered HTTP ${status}`));
  return { kind: "relay", status, body: out, headers: relayHeaders(headers, RELAYED_HEADERS, {}, ["request-id"]) };
}

export const NATIVE_MESSAGES: NativeExchange = Object.freeze({
  streamContentType: "text/event-stream",
  buildRequest: buildNativeRequest,
  parseChatResponse: parseNativeResponse,
  createStreamDecoder: () => new NativeStreamDecoder(),
  mapError: mapNativeError,
});
