/** The data describing how an OpenAI-compatible vendor deviates from OpenAI (one row of vendors.ts). */
import type { EmbeddingsQuirks } from "./embeddings";

/** What happens to a top-level OpenAI request field before forwarding. */
export type FieldRule =
  | { readonly action: "drop" }
  /** Renamed; an existing field of the target name is overwritten (the renamed one wins). */
  | { readonly action: "rename"; readonly to: string }
  /** buildChatRequest throws invalid_request (param = field) unless the value's JSON equals `unless`. */
  | { readonly action: "reject"; readonly unless?: string; readonly reason: string };

export interface VendorQuirks {
  /** Base URL used when a deployment gives none (null: the deployment must give one). */
  readonly defaultBaseUrl: string | null;
  /** `bearer`: `Authorization: Bearer <api_key>`; `bearer-optional`: same, but the key may be absent. */
  readonly auth: "bearer" | "bearer-optional";
  /** Deployment option → request header (e.g. OpenRouter attribution). */
  readonly optionHeaders: Readonly<Record<string, string>>;
  /** Name of the completion cap the vendor reads (`max_completion_tokens` is renamed to it when different). */
  readonly maxTokens: "max_tokens" | "either";
  /** Top-level OpenAI fields the vendor cannot take as-is. */
  readonly fields: Readonly<Record<string, FieldRule>>;
  /** Per-message fields removed (e.g. Groq rejects `messages[].name`). */
  readonly dropMessageFields: readonly string[];
  /** `alnum9`: tool-call ids rewritten to 9 alphanumerics (Mistral), consistently in calls and results. */
  readonly toolCallIds: "keep" | "alnum9";
  /** Consecutive messages of the same role merged (Perplexity requires alternation). */
  readonly mergeConsecutiveRoles: boolean;
  /**
   * How stream usage is obtained: `include_usage` = ask with `stream_options.include_usage` (usage-only chunk);
   * `final-chunk` = the vendor always puts usage on its last chunk and `stream_options` is not sent.
   * `x_groq.usage` and usage on finish chunks are accepted for every vendor.
   */
  readonly streamUsage: "include_usage" | "final-chunk";
  /** Upstream finish_reason → OpenAI. */
  readonly finishReasons: Readonly<Record<string, string>>;
  /** Provider rate-limit header → OpenAI `x-ratelimit-*` name. */
  readonly rateLimitHeaders: Readonly<Record<string, string>>;
  /** `/embeddings` support and its deviations; null = the vendor has no embeddings endpoint (clear 400, nothing sent). */
  readonly embeddings: EmbeddingsQuirks | null;
  /** Error body shapes seen (documentation; the error mapper understands all of them). */
  readonly errorShapes: readonly ("openai" | "flat" | "string" | "numeric-code" | "detail")[];
}
