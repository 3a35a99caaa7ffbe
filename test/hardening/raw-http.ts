/** A raw HTTP/1.1 exchange over one TCP socket: exact bytes out (staged, stalled or cut), one parsed answer back. */
import { connect } from "node:net";

export interface RawAnswer {
  /** null when the server closed the connection without answering. */
  readonly status: number | null;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
  /** The answer could not be parsed as HTTP/1.1 (a malformed answer is a failure). */
  readonly malformed: string | null;
  /** No answer and no close within the timeout. */
  readonly hung: boolean;
}

export interface RawSend {
  readonly bytes: Buffer;
  /** Send only this many bytes, then wait (a stalled sender). */
  readonly stallAfter?: number;
  /** Send only this many bytes, then half-close (a truncated request). */
  readonly endAfter?: number;
  readonly timeoutMs: number;
}

function parse(buf: Buffer): { done: boolean; answer?: Omit<RawAnswer, "hung"> } {
  const headEnd = buf.indexOf("\r\n\r\n");
  if (headEnd < 0) return { done: false };
  const lines = buf.subarray(0, headEnd).toString("latin1").split("\r\n");
  const statusLine = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? "");
  const headers = new Map<string, string>();
  if (statusLine === null) return { done: true, answer: { status: null, headers, body: buf, malformed: `bad status line ${JSON.stringify(lines[0])}` } };
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return { done: true, answer: { status: null, headers, body: buf, malformed: `bad header line ${JSON.stringify(line)}` } };
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const status = Number(statusLine[1]);
  const rest = buf.subarray(headEnd + 4);
  const length = headers.get("content-length");
  if (length !== undefined) {
    const n = Number(length);
    if (rest.length < n) return { done: false };
    return { done: true, answer: { status, headers, body: rest.subarray(0, n), malformed: null } };
  }
  if (headers.get("transfer-encoding")?.toLowerCase() === "chunked") {
    const chunks: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf("\r\n", at);
      if (lineEnd < 0) return { done: false };
      const size = parseInt(rest.subarray(at, lineEnd).toString("latin1"), 16);
      if (Number.isNaN(size)) return { done: true, answer: { status, headers, body: rest, malformed: "bad chunk size" } };
      if (rest.length < lineEnd + 2 + size + 2) return { done: false };
      if (size === 0) return { done: true, answer: { status, headers, body: Buffer.concat(chunks), malformed: null } };
      chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  return { done: status === 204 || status === 304, answer: { status, headers, body: rest, malformed: null } };
}

export function rawExchange(port: number, send: RawSend): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (answer: RawAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => {
      const parsed = parse(received);
      finish(parsed.answer && parsed.done ? { ...parsed.answer, hung: false } : { status: null, headers: new Map(), body: received, malformed: null, hung: true });
    }, send.timeoutMs);
    socket.on("connect", () => {
      const cut = send.stallAfter ?? send.endAfter;
      socket.write(cut === undefined ? send.bytes : send.bytes.subarray(0, cut));
      if (send.endAfter !== undefined) socket.end();
    });
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parse(received);
      if (parsed.done && parsed.answer) finish({ ...parsed.answer, hung: false });
    });
    const closed = (): void => {
      const parsed = parse(received);
      if (parsed.answer) finish({ ...parsed.answer, hung: false });
      else if (received.length > 0) finish({ status: null, headers: new Map(), body: received, malformed: "answer cut short", hung: false });
      else finish({ status: null, headers: new Map(), body: received, malformed: null, hung: false });
    };
    socket.on("error", closed);
    socket.on("close", closed);
  });
}
