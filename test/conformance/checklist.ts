/**
 * The conformance checklist of providers.md §9 as data: for every case id (1–60), either the adapters it
 * applies to (each must have at least one fixture whose `covers` lists the id), or where it is covered
 * instead and why. test/conformance/coverage.test.ts checks this map against the fixture files.
 *
 * Adapter keys are registry ids (sidecar/src/providers/registry.ts); their fixture directories are listed
 * in coverage.test.ts.
 */
export type ChecklistEntry =
  | { readonly title: string; readonly adapters: readonly string[] }
  /** Covered by a test file that mentions `checklist #<id>` (checked). */
  | { readonly title: string; readonly elsewhere: readonly string[]; readonly reason: string }
  /** Does not apply to this gateway; `evidence` is a file (checked to exist) that shows why. */
  | { readonly title: string; readonly notApplicable: string; readonly evidence: string }
  /** Belongs to a surface not on this branch yet (its tests come with it); reported as a diagnostic. */
  | { readonly title: string; readonly pending: string };

const A = "anthropic";
const G = "gemini";
const V = "vertex";
const B = "bedrock";
const C = "cohere";
const O = "openai";
const Z = "azure-openai";

export const CHECKLIST: Readonly<Record<number, ChecklistEntry>> = Object.freeze({
  1: { title: "system + developer messages hoisted in order", adapters: [A, G, B, C] },
  2: { title: "default max_tokens; max_completion_tokens wins", adapters: [A, G, B, C] },
  3: { title: "data-URL image → provider inline bytes", adapters: [A, G, B, C] },
  4: { title: "https image URL → URL source, or 400 when the provider needs bytes (no fetching)", adapters: [A, G, V, B, C] },
  5: { title: "tool round trip grouped into one assistant and one user turn", adapters: [A, B, C] },
  6: { title: "Gemini functionResponse names resolved from tool_call_id", adapters: [G] },
  7: { title: "non-object tool content wrapped as {result}", adapters: [G] },
  8: { title: "invalid tool-call arguments sent as {}", adapters: [A, G, B, C] },
  9: { title: "tool_choice required", adapters: [A, G, B, C] },
  10: { title: "named tool_choice", adapters: [A, G, B, C] },
  11: { title: "tool_choice none with tool history", adapters: [A, G, B] },
  12: { title: "parallel_tool_calls false", adapters: [A] },
  13: { title: "response_format json_schema", adapters: [A, G, B, C] },
  14: { title: "forced-tool JSON fallback returned as content", adapters: [A, B] },
  15: { title: "stop string → stop sequences array", adapters: [A, G, B, C] },
  16: { title: "seed mapped, renamed or dropped per the provider's rule", adapters: [A, G, B, C, "mistral"] },
  17: { title: "n:2 → candidates, or rejected where the provider returns one choice", adapters: [A, G, B, C] },
  18: { title: "Groq unsupported fields stripped", adapters: ["groq"] },
  19: { title: "Mistral 9-character tool-call ids", adapters: ["mistral"] },
  20: { title: "JSON schema sanitised for Gemini", adapters: [G] },
  21: { title: "tool_use → tool_calls with stringified arguments", adapters: [A, B] },
  22: { title: "stop reasons refusal / context window / pause_turn", adapters: [A, B] },
  23: { title: "Anthropic cache usage", adapters: [A] },
  24: { title: "Gemini functionCall + STOP → tool_calls", adapters: [G] },
  25: { title: "Gemini thoughts and cached usage", adapters: [G] },
  26: { title: "Gemini thought parts never in content", adapters: [G] },
  27: { title: "Gemini prompt blocked → content_filter", adapters: [G] },
  28: { title: "Bedrock cache usage", adapters: [B] },
  29: { title: "Bedrock guardrail_intervened → content_filter", adapters: [B] },
  30: { title: "vendor finish reasons (TOOL_CALL, eos, model_length)", adapters: [C, "together", "mistral"] },
  31: { title: "non-stream response shape", adapters: [A, G, B, C, O, Z] },
  32: { title: "include_usage: exactly one usage chunk before [DONE]", adapters: [A, G, B, C, O, Z, "vllm"] },
  33: { title: "no include_usage: no usage chunk, no usage keys", adapters: [A, G, B, C, O, Z, "groq", "mistral", "fireworks"] },
  34: { title: "usage on the finish chunk normalised", adapters: ["mistral", "fireworks", "groq", "together", "deepinfra", "perplexity"] },
  35: { title: "text stream: role first, deltas 1:1, finish, [DONE]", adapters: [A, B, C] },
  36: { title: "tool-call stream indices and first fragments", adapters: [A, B] },
  37: {
    title: "ping ignored; a mid-stream error → one error event and the stream ends (no finish chunk, no [DONE])",
    adapters: [A, G, B, C, O, Z, "openrouter"],
  },
  38: { title: "Anthropic cumulative output_tokens", adapters: [A] },
  39: { title: "Gemini function call whole in one chunk", adapters: [G, V] },
  40: { title: "Gemini usageMetadata last values", adapters: [G] },
  41: { title: "stream without an upstream [DONE] still ends with [DONE]", adapters: [G, B, C] },
  42: { title: "Bedrock frames split anywhere decode identically", adapters: [B] },
  43: { title: "Bedrock corrupted prelude / message CRC", adapters: [B] },
  44: { title: "Bedrock header value types 0–9", adapters: [B] },
  45: { title: "Bedrock delta without block start; toolUse start", adapters: [B] },
  46: { title: "Bedrock metadata usage; exception mid-stream", adapters: [B] },
  47: { title: "Cohere tool-call stream events", adapters: [C] },
  48: { title: "OpenRouter comment lines", adapters: ["openrouter"] },
  49: { title: "Azure filter chunks", adapters: [Z] },
  50: {
    title: "Ollama native NDJSON stream",
    notApplicable: "Ollama is reached through its OpenAI-compatible /v1 endpoint (SSE); the native /api/chat NDJSON API is not used",
    evidence: "sidecar/src/providers/openai-compatible/vendor-fixtures/ollama/c-no-key-default-base-url.json",
  },
  51: {
    title: "inbound /v1/messages stream event order",
    elsewhere: ["sidecar/src/providers/anthropic/inbound/stream.test.ts", "test/integration/messages-anthropic-sdk.test.ts"],
    reason: "an inbound surface, not an outbound adapter: the translator's unit test and the Anthropic SDK over real sockets",
  },
  52: {
    title: "inbound tool_result blocks before user text",
    elsewhere: ["sidecar/src/providers/anthropic/inbound/request.test.ts"],
    reason: "inbound request translation, not an outbound adapter",
  },
  53: { title: "SigV4 model id with ':'", adapters: [B] },
  54: { title: "SigV4 session token; header whitespace", adapters: [B] },
  55: { title: "Gemini API_KEY_INVALID → 401; RetryInfo → retry-after", adapters: [G, V] },
  56: { title: "Anthropic 529 → 503; Bedrock throttling / model error", adapters: [A, B] },
  57: { title: "Azure deployment and v1 routes", adapters: [Z] },
  58: {
    title: "embeddings base64",
    elsewhere: ["test/integration/embeddings.test.ts", "sidecar/src/providers/shared/embeddings.test.ts"],
    reason: "embeddings are not chat fixtures: every provider mock is checked through the SDK, the codec by unit test",
  },
  59: {
    title: "embeddings batching",
    elsewhere: ["test/integration/embeddings.test.ts", "sidecar/src/pipeline/embeddings.test.ts"],
    reason: "split counts are asserted at each provider mock; slicing by unit test",
  },
  60: {
    title: "GET /v1/models list shape",
    elsewhere: ["sidecar/src/server/routes/models.test.ts", "test/integration/direct-model-addressing.test.ts"],
    reason: "the model list comes from the policy snapshot (routes + directly addressable models), not from provider listings",
  },
});

export const CHECKLIST_SIZE = 60;
