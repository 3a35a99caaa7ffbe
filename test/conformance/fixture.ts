/**
 * The shape of one conformance fixture: a JSON file per edge case, kept next to the adapter in
 * `sidecar/src/providers/<id>/fixtures/<case>.json`. Expected values are *subsets*: every key given must
 * match (recursively; arrays must have the same length), keys not given are not checked.
 */
export interface ConformanceFixture {
  /** Checklist id from the provider reference (§9) plus a short name, e.g. "C12 tool call streaming". */
  case: string;
  /**
   * The checklist ids (providers.md §9, 1–60) this fixture covers; `[]` for a provider-specific edge case.
   * test/conformance/coverage.test.ts checks every applicable (case, adapter) pair against these.
   */
  covers: number[];
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
  /**
   * The request builder must refuse the input (drop-or-reject rule: a parameter the provider cannot honour and
   * whose silent loss would change the answer) with this catalogue code, `param`, and a message containing
   * `message`. Nothing else is checked for such a fixture.
   */
  expectReject?: { code: string; param?: string | null; message?: string };
  /**
   * The stream fails mid-way: the client stream must end with one error event whose `error` matches this
   * subset, and no `[DONE]` (README "Mid-stream errors"). `expectChunks` then lists the chunks before it.
   */
  expectStreamError?: { message?: string; type?: string; code?: string | null; param?: string | null };
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
