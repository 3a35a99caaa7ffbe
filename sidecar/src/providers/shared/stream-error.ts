/**
 * The one convention for an upstream failure after a client stream has started (README, "Mid-stream
 * errors"): exactly one `data: {"error":{"message","type","param","code"}}` event, then the stream ends —
 * no finish chunk, no usage chunk, and no `data: [DONE]`.
 *
 * This is what OpenAI itself does, what the official SDKs turn into a thrown `APIError` (they stop reading at
 * the error event, so a trailing `[DONE]` would never be seen by them), and what the relay does for its own
 * failures. Leaving `[DONE]` out keeps it an unambiguous "the answer is complete" marker for hand-written
 * clients that loop until `[DONE]`: a truncated answer never looks finished.
 *
 * Every stream decoder emits its error event through this function and stops emitting afterwards.
 */
export interface StreamErrorObject {
  readonly message: string;
  readonly type: string;
  readonly param?: string | null;
  readonly code: string | null;
}

export function streamErrorEvent(error: StreamErrorObject): string {
  return `data: ${JSON.stringify({ error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code } })}\n\n`;
}

/** For an error object of unknown shape (already OpenAI-shaped by a provider's mapping). */
export function toStreamErrorObject(error: Readonly<Record<string, unknown>>): StreamErrorObject {
  const param = error["param"];
  const code = error["code"];
  return {
    message: typeof error["message"] === "string" ? error["message"] : "upstream stream error",
    type: typeof error["type"] === "string" ? error["type"] : "server_error",
    param: typeof param === "string" ? param : null,
    code: typeof code === "string" ? code : code === null || code === undefined ? null : String(code),
  };
}

/** The error event for an upstream body that ended before the provider's end marker (a truncated answer). */
export function truncatedStreamEvent(label: string, marker: string): string {
  return streamErrorEvent({ message: `${label}: the stream ended before ${marker}`, type: "server_error", code: "upstream_invalid_response" });
}
