/**
 * Anthropic Messages API wire format (providers.md §3), as plain type definitions only. Shared by the
 * outbound adapter (OpenAI → Anthropic) and, later, the inbound `/v1/messages` surface (Anthropic → OpenAI).
 * Optional fields mirror what the API accepts or may send; unknown members must be tolerated when reading.
 */

export const ANTHROPIC_VERSION = "2023-06-01";

export interface CacheControl {
  readonly type: "ephemeral";
  readonly ttl?: "5m" | "1h";
}

// ---- request content blocks ----

export interface TextBlock {
  readonly type: "text";
  readonly text: string;
  readonly cache_control?: CacheControl;
  readonly citations?: readonly unknown[] | null;
}

export type ImageSource =
  | { readonly type: "base64"; readonly media_type: ImageMediaType; readonly data: string }
  | { readonly type: "url"; readonly url: string };

export type ImageMediaType = "image/jpeg" | "image/png" | "image/gif" | "image/webp";

export interface ImageBlock {
  readonly type: "image";
  readonly source: ImageSource;
  readonly cache_control?: CacheControl;
}

export type DocumentSource =
  | { readonly type: "base64"; readonly media_type: "application/pdf"; readonly data: string }
  | { readonly type: "text"; readonly media_type: "text/plain"; readonly data: string }
  | { readonly type: "url"; readonly url: string };

export interface DocumentBlock {
  readonly type: "document";
  readonly source: DocumentSource;
  readonly title?: string;
  readonly cache_control?: CacheControl;
}

export interface ToolUseBlock {
  readonly type: "tool_use";
  readonly id: string;
  readonly name: string;
  readonly input: Record<string, unknown>;
  readonly cache_control?: CacheControl;
}

export interface ToolResultBlock {
  readonly type: "tool_result";
  readonly tool_use_id: string;
  readonly content?: string | readonly (TextBlock | ImageBlock)[];
  readonly is_error?: boolean;
  readonly cache_control?: CacheControl;
}

export interface ThinkingBlock {
  readonly type: "thinking";
  readonly thinking: string;
  readonly signature: string;
}

export interface RedactedThinkingBlock {
  readonly type: "redacted_thinking";
  readonly data: string;
}

/** Server-side tool blocks (web search, code execution, …): never client tool calls. */
export interface ServerToolBlock {
  readonly type: "server_tool_use" | "web_search_tool_result" | "code_execution_tool_result" | (string & {});
  readonly [field: string]: unknown;
}

export type UserContentBlock = TextBlock | ImageBlock | DocumentBlock | ToolResultBlock;
export type AssistantContentBlock = TextBlock | ToolUseBlock | ThinkingBlock | RedactedThinkingBlock;

export type MessageParam =
  | { readonly role: "user"; readonly content: string | readonly UserContentBlock[] }
  | { readonly role: "assistant"; readonly content: string | readonly AssistantContentBlock[] };

// ---- tools ----

export interface Tool {
  readonly name: string;
  readonly description?: string;
  readonly input_schema: Record<string, unknown>;
  readonly cache_control?: CacheControl;
}

export type ToolChoice =
  | { readonly type: "auto"; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: "any"; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: "tool"; readonly name: string; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: "none" };

export type ThinkingConfig =
  | { readonly type: "enabled"; readonly budget_tokens: number }
  | { readonly type: "disabled" }
  | { readonly type: "adaptive" };

/** `POST /v1/messages` body. */
export interface MessagesRequest {
  model: string;
  max_tokens: number;
  messages: MessageParam[];
  system?: string | TextBlock[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  tools?: Tool[];
  tool_choice?: ToolChoice;
  metadata?: { user_id?: string };
  thinking?: ThinkingConfig;
  output_config?: { format?: { type: "json_schema"; schema: Record<string, unknown> }; effort?: string };
}

// ---- response ----

export type StopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "pause_turn"
  | "refusal"
  | "model_context_window_exceeded";

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
  server_tool_use?: Record<string, number> | null;
  service_tier?: string | null;
}

export type ResponseContentBlock = TextBlock | ToolUseBlock | ThinkingBlock | RedactedThinkingBlock | ServerToolBlock;

export interface Message {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ResponseContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: Usage;
}

// ---- streaming (SSE with `event:` names; the JSON repeats `type`) ----

export type ContentDelta =
  | { readonly type: "text_delta"; readonly text: string }
  | { readonly type: "input_json_delta"; readonly partial_json: string }
  | { readonly type: "thinking_delta"; readonly thinking: string }
  | { readonly type: "signature_delta"; readonly signature: string }
  | { readonly type: "citations_delta"; readonly citation: unknown };

export type StreamEvent =
  | { readonly type: "message_start"; readonly message: Message }
  | { readonly type: "content_block_start"; readonly index: number; readonly content_block: ResponseContentBlock }
  | { readonly type: "content_block_delta"; readonly index: number; readonly delta: ContentDelta }
  | { readonly type: "content_block_stop"; readonly index: number }
  | {
      readonly type: "message_delta";
      readonly delta: { readonly stop_reason: StopReason | null; readonly stop_sequence: string | null };
      readonly usage: Partial<Usage>;
    }
  | { readonly type: "message_stop" }
  | { readonly type: "ping" }
  | { readonly type: "error"; readonly error: ErrorObject };

// ---- errors ----

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "billing_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "timeout_error"
  | "overloaded_error";

export interface ErrorObject {
  readonly type: ErrorType | (string & {});
  readonly message: string;
}

/** Error response body: `{"type":"error","error":{…},"request_id":"req_…"}`. */
export interface ErrorResponse {
  readonly type: "error";
  readonly error: ErrorObject;
  readonly request_id?: string;
}

/** HTTP status Anthropic uses for each error type (§3.7). */
export const ERROR_STATUS: Readonly<Record<ErrorType, number>> = Object.freeze({
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
});
