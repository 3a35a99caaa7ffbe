import { encodeErrorBody, type ProxyError } from "./proxy-error";

/**
 * How one client-facing API surface spells the sidecar's own errors: as a whole response body, and as an
 * SSE event once a stream has started. The OpenAI dialect is the default; each inbound surface has one.
 */
export interface ErrorDialect {
  errorBody(error: ProxyError): Uint8Array;
  errorEvent(error: ProxyError): Uint8Array;
  /** Header names besides `x-request-id` that echo the request id on every response (e.g. `request-id`). */
  readonly requestIdHeaders: readonly string[];
}

const SSE_PREFIX = Buffer.from("data: ");
const SSE_SUFFIX = Buffer.from("\n\n");

/** `{"error":{"message","type","param","code"}}`; mid-stream as a `data:` event. */
export const OPENAI_DIALECT: ErrorDialect = Object.freeze({
  errorBody: encodeErrorBody,
  errorEvent: (error: ProxyError) => Buffer.concat([SSE_PREFIX, encodeErrorBody(error), SSE_SUFFIX]),
  requestIdHeaders: Object.freeze([]),
});
