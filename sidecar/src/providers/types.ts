/**
 * The provider adapter contract. An adapter is data plus pure functions: no I/O, no timers, no framework
 * objects, no environment. The pipeline owns transport; the adapter owns the wire format.
 */
import type { ErrorCode } from "../errors/codes";
import type { ErrorDialect } from "../errors/dialect";
import type { ProxyError } from "../errors/proxy-error";

/** What an adapter can serve; the pipeline checks this instead of calling stubs. */
export interface Capabilities {
  readonly chat: boolean;
  readonly chatStream: boolean;
}

/** A deployment as the adapter needs it (from the policy snapshot). */
export interface DeploymentSpec {
  readonly id: string;
  readonly provider: string;
  readonly baseUrl: string;
  readonly region: string;
  readonly options: Readonly<Record<string, string>>;
}

/** Computed once per snapshot per deployment: where to send and the pre-encoded constant headers. */
export interface PreparedDeployment {
  /** `scheme://host:port`, the connection pool key. */
  readonly origin: string;
  /** Path of the chat endpoint on that origin, e.g. `/v1/chat/completions`. */
  readonly chatPath: string;
  /** Flat `[name, value, name, value, …]` header list (content-type, credentials, …). */
  readonly headers: readonly string[];
}

/** The validated client request as the adapter sees it. */
export interface ChatInput {
  /** The client's body bytes, unchanged. */
  readonly body: Uint8Array;
  /** The parsed body (already checked by the pipeline). The adapter must not mutate it. */
  readonly json: Readonly<Record<string, unknown>>;
  /** The model name sent upstream (deployment upstream_model or the public name). */
  readonly upstreamModel: string;
  readonly stream: boolean;
  /** The client asked for the final usage chunk (`stream_options.include_usage: true`). */
  readonly clientIncludeUsage: boolean;
  /** Wall-clock time of the request in ms since the epoch (for request signing; adapters read no clock). */
  readonly now: number;
}

export interface UpstreamRequest {
  readonly method: "POST" | "GET";
  readonly path: string;
  readonly headers: readonly string[];
  readonly body: Uint8Array;
}

/** Canonical token usage (OpenAI semantics: prompt includes cached, completion includes reasoning). */
export interface NormalizedUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

export type ParsedResponse =
  | {
      readonly ok: true;
      /** Bytes for the client (the upstream bytes when no translation is needed). */
      readonly body: Uint8Array;
      readonly usage: NormalizedUsage | null;
      readonly finishReason: string | null;
    }
  | { readonly ok: false; readonly reason: string };

/** Stateful per-request stream translator, fed raw upstream byte chunks. */
export interface StreamDecoder {
  /** Returns the bytes to forward to the client now (may be the input itself), or null for nothing. */
  push(chunk: Uint8Array): Uint8Array | null;
  /** Upstream ended: returns remaining bytes for the client, or null. */
  end(): Uint8Array | null;
  /** Usage seen so far (final once the stream ended), or null. */
  readonly usage: NormalizedUsage | null;
  readonly finishReason: string | null;
  /** Whether any content-bearing event has been seen (for time-to-first-token). */
  readonly started: boolean;
}

/**
 * What the response side knows of the request (providers that send no id, model or timestamp need it). The
 * pipeline always passes both; adapters fall back to 0 / a placeholder when called without them.
 */
export interface ResponseContext {
  /** Request time in ms since the epoch (for `created`; adapters read no clock). */
  readonly now?: number;
  /** The model the request was sent to upstream (for `model` when the provider names none). */
  readonly model?: string;
}

export interface StreamOptions extends ResponseContext {
  readonly clientIncludeUsage: boolean;
}

export type UpstreamHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Either relay the provider's error as-is (OpenAI-shaped already) or answer with a catalogue code. */
export type MappedError =
  | { readonly kind: "relay"; readonly status: number; readonly body: Uint8Array; readonly headers: readonly string[] }
  | { readonly kind: "code"; readonly code: ErrorCode; readonly message: string | null };

/** One embeddings input item: a text, or token ids (OpenAI `number[]`). */
export type EmbeddingInput = string | readonly number[];

/** `float` = JSON numbers; `base64` = base64 of the little-endian float32 bytes (OpenAI's `encoding_format`). */
export type EmbeddingEncoding = "float" | "base64";

/** One vector as an upstream returned it: numbers, or base64 of little-endian float32 bytes. */
export type EmbeddingVector = readonly number[] | string;

/** One upstream embeddings call: a slice of the client's inputs (the pipeline splits by `batchLimit`). */
export interface EmbeddingsInput {
  /** The client's body bytes, unchanged (forwardable only when `whole`). */
  readonly body: Uint8Array;
  /** The parsed client body. The adapter must not mutate it. */
  readonly json: Readonly<Record<string, unknown>>;
  /** The inputs of this call, in client order. */
  readonly inputs: readonly EmbeddingInput[];
  /** This call carries every input of the client request (so the client's bytes may go as they are). */
  readonly whole: boolean;
  readonly upstreamModel: string;
  /** What the client asked for; the adapter decides what it requests upstream. */
  readonly encoding: EmbeddingEncoding;
  readonly dimensions: number | null;
  /** Wall-clock time of the request in ms since the epoch (for request signing). */
  readonly now: number;
}

export interface EmbeddingsResponseContext {
  readonly headers: UpstreamHeaders;
  /** Number of inputs sent in this call (a response with another count is invalid). */
  readonly count: number;
  /** The inputs sent in this call (providers that report no token count are estimated from them). */
  readonly inputs: readonly EmbeddingInput[];
  /** As in the request: the response may be forwarded unchanged. */
  readonly whole: boolean;
  readonly encoding: EmbeddingEncoding;
}

export type ParsedEmbeddings =
  | {
      readonly ok: true;
      /** The upstream bytes to forward unchanged (only when `whole` and already in the client's shape), else null. */
      readonly body: Uint8Array | null;
      /** One vector per input in input order (empty when `body` is set). */
      readonly vectors: readonly EmbeddingVector[];
      readonly promptTokens: number;
      /** The model the provider names, or null. */
      readonly model: string | null;
    }
  | { readonly ok: false; readonly reason: string };

/** The optional embeddings capability of an adapter (absent: the provider cannot embed). */
export interface EmbeddingsCapability {
  /** Most inputs one upstream call may carry for this upstream model; 0 = this model cannot embed. */
  batchLimit(upstreamModel: string): number;
  /** Token-id inputs (`number[]`) are accepted; otherwise the pipeline rejects them before sending. */
  readonly tokenInputs: boolean;
  /** Throws a ProxyError (invalid_request) for a parameter the provider cannot honour. */
  buildEmbeddingsRequest(target: PreparedDeployment, input: EmbeddingsInput): UpstreamRequest;
  parseEmbeddingsResponse(body: Uint8Array, context: EmbeddingsResponseContext): ParsedEmbeddings;
}

/** The response side of one upstream exchange, as the relay consumes it (bytes for the client, usage). */
export interface ResponseCodec {
  /** Content type of a successful upstream stream (e.g. `text/event-stream`); anything else is an error. */
  readonly streamContentType: string;
  parseChatResponse(body: Uint8Array, context?: ResponseContext): ParsedResponse;
  createStreamDecoder(options: StreamOptions): StreamDecoder;
  mapError(status: number, headers: UpstreamHeaders, body: Uint8Array): MappedError;
}

export interface ProviderAdapter extends ResponseCodec {
  readonly id: string;
  readonly capabilities: Capabilities;
  /** `POST /v1/embeddings` support; errors go through `mapError` as for chat. */
  readonly embeddings?: EmbeddingsCapability;
  /** Once per snapshot. `secrets` is null for a deployment without credential. Throws on bad data. */
  prepare(deployment: DeploymentSpec, secrets: Readonly<Record<string, string>> | null): PreparedDeployment;
  buildChatRequest(target: PreparedDeployment, input: ChatInput): UpstreamRequest;
  /**
   * Inbound surfaces (by `InboundSurface.id`) this provider speaks natively: requests on such a surface are
   * passed through in the client's own wire format instead of being translated to the canonical form.
   */
  readonly native?: Readonly<Record<string, NativeExchange>>;
}

/** A native pass-through request: the client's body plus the client headers its surface forwards. */
export interface NativeInput extends ChatInput {
  /** Lower-case header name → value, only the surface's `clientHeaders` that the client sent. */
  readonly clientHeaders: Readonly<Record<string, string>>;
}

/** Request builder and response codec for a surface the provider speaks natively (bytes relayed as-is). */
export interface NativeExchange extends ResponseCodec {
  buildRequest(target: PreparedDeployment, input: NativeInput): UpstreamRequest;
}

/** What the pipeline needs of an inbound request body: the routing fields. */
export interface SurfaceFields {
  readonly model: string;
  readonly stream: boolean;
}

/**
 * An inbound API surface other than the canonical one (e.g. a vendor's native API served by the sidecar):
 * its narrow body check, pure translation to and from the canonical OpenAI chat form, and its error dialect.
 */
export interface InboundSurface {
  /** Key into `ProviderAdapter.native`. */
  readonly id: string;
  /** Client request headers forwarded to native upstreams (lower-case names). */
  readonly clientHeaders: readonly string[];
  readonly dialect: ErrorDialect;
  /** Narrow hand-written check of the parsed body; a ProxyError for bad input. */
  checkBody(json: unknown): SurfaceFields | ProxyError;
  /** The client's body as a canonical chat request (stream usage always requested). Throws a ProxyError. */
  toCanonical(json: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Wraps a canonical response codec so that its output is in this surface's wire format. */
  fromCanonical(codec: ResponseCodec): ResponseCodec;
}

export function emptyUsage(): NormalizedUsage {
  return { promptTokens: 0, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
}
