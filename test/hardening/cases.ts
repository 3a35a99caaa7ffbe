/** The corpus case format (test/hardening/corpus/*.json) and how a case becomes request bytes. */
export type BodySpec =
  | { readonly json: unknown }
  | { readonly text: string }
  | { readonly hex: string }
  /** A valid chat body plus a field nested `nest` levels deep. */
  | { readonly nest: number; readonly bracket?: "[" | "{" }
  /** A valid chat body whose `field` is an array of `array` zeros (`messages` itself when field = messages). */
  | { readonly array: number; readonly field: string }
  /** A valid chat body padded to about `size` bytes. */
  | { readonly size: number };

export interface Expectation {
  readonly status?: number | readonly number[];
  readonly code?: string;
  /** `param` of the error. */
  readonly param?: string;
  /** The connection is closed without an answer (or with the parser's bare 400). */
  readonly closedOrParserError?: boolean;
  /** Any well-formed outcome is fine (the point is that the process survives). */
  readonly any?: boolean;
  /** This x-request-id value must not come back. */
  readonly requestIdNotEchoed?: string;
}

export interface HttpCase {
  readonly name: string;
  /** Why the expectation is what it is, when that is not obvious. */
  readonly note?: string;
  /** The answer is a server timeout (seconds); such cases run in parallel with the rest. */
  readonly slow?: boolean;
  readonly method?: string;
  readonly path?: string;
  /** Header pairs; `$KEY` / `$ADMIN` are replaced by the demo key / admin token. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: BodySpec;
  /** Send the body with chunked transfer encoding instead of a Content-Length. */
  readonly chunked?: boolean;
  /** Use this Content-Length header value instead of the real length. */
  readonly contentLength?: string;
  /** The whole request as text (JSON escapes for CR/LF); replaces method/path/headers/body. */
  readonly raw?: string;
  /** Send only this many body bytes, then stall. */
  readonly stallAfterBody?: number;
  /** Send only this many body bytes, then half-close. */
  readonly endAfterBody?: number;
  readonly expect: Expectation;
}

export interface Secrets {
  readonly key: string;
  readonly admin: string;
}

const VALID_CHAT = '{"model":"mock-echo","messages":[{"role":"user","content":"hi"}]';

export function bodyBytes(spec: BodySpec): Buffer {
  if ("json" in spec) return Buffer.from(JSON.stringify(spec.json));
  if ("text" in spec) return Buffer.from(spec.text);
  if ("hex" in spec) return Buffer.from(spec.hex, "hex");
  if ("nest" in spec) {
    const open = spec.bracket ?? "[";
    const inner = open === "[" ? "[".repeat(spec.nest) + "]".repeat(spec.nest) : '{"a":'.repeat(spec.nest) + "0" + "}".repeat(spec.nest);
    return Buffer.from(`${VALID_CHAT},"deep":${inner}}`);
  }
  if ("array" in spec) {
    const zeros = new Array<string>(spec.array).fill("0").join(",");
    if (spec.field === "messages") return Buffer.from(`{"model":"mock-echo","messages":[${zeros}]}`);
    return Buffer.from(`${VALID_CHAT},${JSON.stringify(spec.field)}:[${zeros}]}`);
  }
  return Buffer.from(`${VALID_CHAT},"pad":"${"a".repeat(Math.max(0, spec.size - VALID_CHAT.length - 10))}"}`);
}

const fill = (value: string, secrets: Secrets): string => value.replaceAll("$KEY", secrets.key).replaceAll("$ADMIN", secrets.admin);

/** The request bytes and the offset where the body starts. */
export function requestBytes(c: HttpCase, secrets: Secrets): { bytes: Buffer; bodyStart: number } {
  if (c.raw !== undefined) {
    const bytes = Buffer.from(fill(c.raw, secrets), "latin1");
    const head = bytes.indexOf("\r\n\r\n");
    return { bytes, bodyStart: head < 0 ? bytes.length : head + 4 };
  }
  const body = c.body === undefined ? Buffer.alloc(0) : bodyBytes(c.body);
  const lines = [`${c.method ?? "POST"} ${c.path ?? "/v1/chat/completions"} HTTP/1.1`, "host: 127.0.0.1", "connection: close"];
  for (const [name, value] of c.headers ?? []) lines.push(`${name}: ${fill(value, secrets)}`);
  let payload = body;
  if (c.chunked) {
    lines.push("transfer-encoding: chunked");
    payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n0\r\n\r\n")]);
  } else if (c.contentLength !== undefined) lines.push(`content-length: ${c.contentLength}`);
  else if (c.body !== undefined || c.method === undefined || c.method === "POST" || c.method === "PUT") lines.push(`content-length: ${body.length}`);
  const head = Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1");
  return { bytes: Buffer.concat([head, payload]), bodyStart: head.length };
}
