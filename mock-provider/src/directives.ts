/**
 * In-band control directives: tokens like `[mock:error=429:retry-after=2]` inside the last user message
 * (or an embeddings input) let tests and benchmarks inject behaviour without special headers.
 * They are stripped from the echoed text.
 *
 * | directive                      | effect                                                       |
 * |--------------------------------|--------------------------------------------------------------|
 * | `[mock:latency=MS]`            | wait MS before responding                                    |
 * | `[mock:chunk-delay=MS]`        | wait MS between stream chunks                                |
 * | `[mock:words=N]`               | answer with exactly N words (echo repeated / truncated)      |
 * | `[mock:error=STATUS]`          | answer STATUS with an OpenAI error envelope                  |
 * | `[mock:error=429:retry-after=S]` | same, with `retry-after: S` (429/503 default to 1)         |
 * | `[mock:hang]`                  | never respond                                                |
 * | `[mock:close-mid-stream]`      | close the socket after 3 chunks (`=N` for N)                 |
 * | `[mock:garbage]`               | 200 with a non-JSON body                                     |
 * | `[mock:stall-after=N]`         | send N chunks (SSE frames, role chunk included), then stall  |
 */
export interface MockDirectives {
  latencyMs?: number;
  chunkDelayMs?: number;
  words?: number;
  error?: { status: number; retryAfter?: string };
  hang: boolean;
  closeMidStream?: number;
  garbage: boolean;
  stallAfter?: number;
}

export interface ParsedDirectives {
  /** Input with the directives removed and whitespace collapsed to single spaces. */
  text: string;
  directives: MockDirectives;
  /** Directives that were not understood (the server answers 400 so typos don't go unnoticed). */
  invalid: string[];
}

const DIRECTIVE = /\[mock:([^\]]*)\]/g;
const DEFAULT_CLOSE_AFTER = 3;

export function emptyDirectives(): MockDirectives {
  return { hang: false, garbage: false };
}

export function parseDirectives(input: string): ParsedDirectives {
  const directives = emptyDirectives();
  const invalid: string[] = [];
  if (!input.includes("[mock:")) return { text: collapse(input), directives, invalid };
  const text = input.replace(DIRECTIVE, (whole: string, inner: string) => {
    if (!apply(directives, inner.trim())) invalid.push(whole);
    return " ";
  });
  return { text: collapse(text), directives, invalid };
}

function collapse(s: string): string {
  return s.split(/\s+/).filter((w) => w.length > 0).join(" ");
}

function nonNegativeInt(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d{1,9}$/.test(v)) return undefined;
  return Number(v);
}

function apply(d: MockDirectives, inner: string): boolean {
  const [head = "", ...extras] = inner.split(":");
  const eq = head.indexOf("=");
  const name = (eq === -1 ? head : head.slice(0, eq)).trim().toLowerCase();
  const value = eq === -1 ? undefined : head.slice(eq + 1).trim();
  if (name !== "error" && extras.length > 0) return false;
  switch (name) {
    case "latency":
      return setNumber(value, (n) => (d.latencyMs = n));
    case "chunk-delay":
      return setNumber(value, (n) => (d.chunkDelayMs = n));
    case "words":
      return setNumber(value, (n) => (d.words = n));
    case "stall-after":
      return setNumber(value, (n) => (d.stallAfter = n));
    case "close-mid-stream":
      if (value === undefined) return (d.closeMidStream = DEFAULT_CLOSE_AFTER), true;
      return setNumber(value, (n) => (d.closeMidStream = n));
    case "hang":
      return value === undefined && (d.hang = true);
    case "garbage":
      return value === undefined && (d.garbage = true);
    case "error":
      return applyError(d, value, extras);
    default:
      return false;
  }
}

function setNumber(value: string | undefined, set: (n: number) => void): boolean {
  const n = nonNegativeInt(value);
  if (n === undefined) return false;
  set(n);
  return true;
}

function applyError(d: MockDirectives, value: string | undefined, extras: string[]): boolean {
  const status = nonNegativeInt(value);
  if (status === undefined || status < 400 || status > 599) return false;
  const error: { status: number; retryAfter?: string } = { status };
  for (const extra of extras) {
    const [k, v] = extra.split("=");
    if (k?.trim().toLowerCase() !== "retry-after" || v === undefined || !/^\d+(\.\d+)?$/.test(v.trim())) return false;
    error.retryAfter = v.trim();
  }
  if (error.retryAfter === undefined && (status === 429 || status === 503)) error.retryAfter = "1";
  d.error = error;
  return true;
}
