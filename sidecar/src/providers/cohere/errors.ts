import type { MappedError, UpstreamHeaders } from "../types";
import { encodeEnvelope, errorCodeForStatus, errorTypeForStatus, relayHeaders } from "../shared/error-envelope";
import { isObject, parseJsonBytes } from "../shared/json-bytes";

/** Cohere statuses that differ from their OpenAI meaning (§6.5): 498 invalid token → 401. */
const STATUS_MAP: Readonly<Record<number, number>> = Object.freeze({ 498: 401 });

/**
 * Cohere errors (`{"id"?, "message"}`) → OpenAI envelope with the (mapped) status; 499 (request cancelled)
 * becomes the catalogue's client_closed_request. Retry hints are relayed when present.
 */
export function mapCohereError(status: number, headers: UpstreamHeaders, body: Uint8Array): MappedError {
  if (status === 499) return { kind: "code", code: "client_closed_request", message: null };
  const mapped = STATUS_MAP[status] ?? status;
  const json = parseJsonBytes(body);
  const text = isObject(json) && typeof json["message"] === "string" ? json["message"] : `Cohere answered HTTP ${status}.`;
  const envelope = { message: text, type: errorTypeForStatus(mapped), param: null, code: errorCodeForStatus(mapped) };
  if (mapped === 400 && /too many tokens|context length|too long/i.test(text)) envelope.code = "context_length_exceeded";
  return { kind: "relay", status: mapped, body: encodeEnvelope(envelope), headers: relayHeaders(headers, undefined, {}, ["x-request-id", "x-trial-endpoint-call-id"]) };
}
