/**
 * Test support (no production caller): builds Bedrock event-stream bytes with AWS's own encoder
 * (EventStreamCodec.encode), independently of the adapter's framer. Stream fixtures describe their upstream
 * as `events` (+ optional `corrupt` / `truncate`), and fixtures.test.ts checks `stream.base64` against it.
 */
import { EventStreamCodec, Int64, type MessageHeaders, type MessageHeaderValue } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** A header value as written in a fixture (binary as base64 or `{repeat}`, long/timestamp as numbers). */
export type HeaderSpec =
  | { type: "boolean"; value: boolean }
  | { type: "byte" | "short" | "integer" | "long"; value: number }
  | { type: "binary"; base64?: string; repeat?: number }
  | { type: "string"; value?: string; repeat?: number }
  | { type: "timestamp"; value: number }
  | { type: "uuid"; value: string };

export type EventSpec =
  | { event: string; payload: unknown; headers?: Record<string, HeaderSpec> }
  | { exception: string; payload: unknown }
  | { error: { code: string; message: string } };

export interface StreamSpec {
  events: EventSpec[];
  /** Flip bits of a byte: `message` index, `byte` offset in that message (negative = from its end). */
  corrupt?: { message: number; byte: number; xor: number }[];
  /** Drop this many bytes from the end of the whole stream. */
  truncate?: number;
}

const str = (value: string): MessageHeaderValue => ({ type: "string", value });

function header(spec: HeaderSpec): MessageHeaderValue {
  switch (spec.type) {
    case "boolean":
      return { type: "boolean", value: spec.value };
    case "byte":
    case "short":
    case "integer":
      return { type: spec.type, value: spec.value };
    case "long":
      return { type: "long", value: Int64.fromNumber(spec.value) };
    case "binary":
      return { type: "binary", value: spec.repeat !== undefined ? new Uint8Array(spec.repeat).fill(0xab) : Buffer.from(spec.base64 ?? "", "base64") };
    case "string":
      return str(spec.repeat !== undefined ? "é".repeat(spec.repeat) : (spec.value ?? ""));
    case "timestamp":
      return { type: "timestamp", value: new Date(spec.value) };
    case "uuid":
      return { type: "uuid", value: spec.value };
  }
}

export function encodeEvent(spec: EventSpec): Uint8Array {
  if ("error" in spec) {
    const headers: MessageHeaders = { ":message-type": str("error"), ":error-code": str(spec.error.code), ":error-message": str(spec.error.message) };
    return codec.encode({ headers, body: new Uint8Array(0) });
  }
  const body = fromUtf8(JSON.stringify(spec.payload));
  if ("exception" in spec) {
    const headers: MessageHeaders = { ":message-type": str("exception"), ":exception-type": str(spec.exception), ":content-type": str("application/json") };
    return codec.encode({ headers, body });
  }
  const headers: MessageHeaders = { ":message-type": str("event"), ":event-type": str(spec.event), ":content-type": str("application/json") };
  for (const [name, h] of Object.entries(spec.headers ?? {})) headers[name] = header(h);
  return codec.encode({ headers, body });
}

export function encodeStream(spec: StreamSpec): Buffer {
  const messages = spec.events.map((e) => Buffer.from(encodeEvent(e)));
  for (const c of spec.corrupt ?? []) {
    const m = messages[c.message];
    if (m === undefined) throw new Error(`corrupt: no message ${c.message}`);
    const at = c.byte < 0 ? m.length + c.byte : c.byte;
    m[at] = (m[at] ?? 0) ^ c.xor;
  }
  const all = Buffer.concat(messages);
  return spec.truncate !== undefined ? all.subarray(0, all.length - spec.truncate) : all;
}
