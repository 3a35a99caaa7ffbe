import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode, type OpenAiErrorType } from "./codes";

/**
 * An expected failure with a catalogue code. Built without a stack trace: these are control flow
 * (401/403/404/…), not bugs, and capturing stacks on the hot path is measurable.
 */
export class ProxyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: OpenAiErrorType;
  readonly param: string | null;

  constructor(code: ErrorCode, message?: string, param?: string | null) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const spec = ERROR_CATALOGUE[code];
    super(message ?? spec.message);
    Error.stackTraceLimit = limit;
    this.name = "ProxyError";
    this.code = code;
    this.status = spec.status;
    this.type = spec.type;
    this.param = param ?? null;
  }

  /** True when message and param are the catalogue defaults (its JSON can be precomputed). */
  get isDefault(): boolean {
    return this.param === null && this.message === ERROR_CATALOGUE[this.code].message;
  }
}

export function isProxyError(value: unknown): value is ProxyError {
  return value instanceof ProxyError;
}

/** Encodes `{"error":{"message","type","param","code"}}`. */
export function encodeErrorBody(err: ProxyError): Buffer {
  if (err.isDefault) return DEFAULT_BODIES.get(err.code) as Buffer;
  return Buffer.from(
    JSON.stringify({ error: { message: err.message, type: err.type, param: err.param, code: err.code } }),
  );
}

/** Shared immutable instances for default-message errors (no allocation per rejection). */
const DEFAULT_ERRORS = new Map<ErrorCode, ProxyError>();
const DEFAULT_BODIES = new Map<ErrorCode, Buffer>();
for (const code of ERROR_CODES) {
  const err = new ProxyError(code);
  DEFAULT_ERRORS.set(code, Object.freeze(err));
  DEFAULT_BODIES.set(
    code,
    Buffer.from(JSON.stringify({ error: { message: err.message, type: err.type, param: null, code } })),
  );
}

export function proxyError(code: ErrorCode): ProxyError {
  return DEFAULT_ERRORS.get(code) as ProxyError;
}
