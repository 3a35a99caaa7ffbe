/**
 * The shape of one conformance fixture: a JSON file per edge case, kept next to the adapter in
 * `sidecar/src/providers/<id>/fixtures/<case>.json`. Expected values are *subsets*: every key given must
 * match (recursively; arrays must have the same length), keys not given are not checked.
 */
export interface ConformanceFixture {
  /** Checklist id from the provider reference (§9) plus a short name, e.g. "C12 tool call streaming". */
  case: string;
  description?: string;
  deployment?: { baseUrl?: string; region?: string; options?: Record<string, string> };
  /** Credential secrets handed to `prepare` (null = no credential). */
  secrets?: Record<string, string> | null;
  /** The client's OpenAI chat request body. */
  request: Record<string, unknown>;
  upstreamModel?: string;
  /** Request time in ms since the epoch (default 2026-01-01T00:00:00Z). */
  now?: number;
  /** What the adapter must send upstream. `json` is a subset of the parsed body; `bodyExact` compares bytes. */
  expectUpstream?: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    absentHeaders?: string[];
    json?: unknown;
    absentFields?: string[];
    bodyExact?: boolean;
  };
  /** Non-stream upstream answer. */
  response?: { status?: number; headers?: Record<string, string>; json?: unknown; text?: string };
  /** Stream upstream answer: raw bytes as text, or base64 for binary framing. */
  stream?: { text?: string; base64?: string };
  /** For a successful non-stream response: subset of the client-facing JSON. */
  expectClient?: unknown;
  /** For a stream: subsets of the client-facing `chat.completion.chunk`s in order (all of them), then [DONE]. */
  expectChunks?: unknown[];
  /** Expected concatenation of all `delta.content` of choice 0 (a compact alternative to listing chunks). */
  expectText?: string;
  expectUsage?: Partial<Record<"promptTokens" | "completionTokens" | "cachedTokens" | "cacheWriteTokens" | "reasoningTokens", number>> | null;
  expectFinish?: string | null;
  /** For a non-2xx response: what `mapError` must return (subset; `body` is compared as parsed JSON subset). */
  expectError?: { kind: "relay" | "code"; status?: number; code?: string; body?: unknown; headers?: Record<string, string> };
}
