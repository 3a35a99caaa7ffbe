/** Shapes shared by the mock provider's pure modules and its HTTP server. */

export interface ChatMessage {
  role: string;
  content?: unknown;
  [field: string]: unknown;
}

export interface ToolFunction {
  name: string;
  parameters?: unknown;
}

export type ToolChoice = "none" | "auto" | "required" | { name: string } | undefined;

/** The fields of a chat completions request the mock acts on (everything else is ignored). */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | undefined;
  n: number;
  tools: ToolFunction[];
  toolChoice: ToolChoice;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type FinishReason = "stop" | "length" | "tool_calls";

export interface PlannedChoice {
  index: number;
  /** Echoed words (empty when the choice answers with tool calls). */
  words: string[];
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
}

export interface CompletionPlan {
  id: string;
  created: number;
  model: string;
  choices: PlannedChoice[];
  usage: Usage;
}

export interface MockRequestInfo {
  method: string;
  path: string;
  query: string;
  /** Lower-cased header names, as received (Authorization included: this is a test double). */
  headers: Record<string, string>;
  /** Parsed JSON body; `undefined` for bodyless requests, the raw text when it was not JSON. */
  body: unknown;
}

export interface MockStats {
  requests: { total: number; byPath: Record<string, number>; aborted: number };
  streams: { started: number; completed: number; aborted: number; closedByMock: number };
  /** Sum of every `usage` object the mock actually sent (non-stream bodies and include_usage chunks). */
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  errorsInjected: number;
  lastRequest: MockRequestInfo | null;
}

export interface MockProviderOptions {
  host?: string;
  port?: number;
  /** Delay before the response starts (headers), default 0. */
  latencyMs?: number;
  /** Delay between stream chunks, default 0. */
  chunkDelayMs?: number;
  /** When set, every completion has exactly this many words (echo words repeated/truncated). */
  chunks?: number;
}

export interface MockProviderHandle {
  port: number;
  /** `http://<host>:<port>` */
  url: string;
  /** `url + "/v1"` — what a deployment's base_url points at. */
  baseUrl: string;
  stats(): MockStats;
  reset(): void;
  close(): Promise<void>;
}
