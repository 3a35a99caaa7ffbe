/** Cohere embed wire format (`/v2/embed`, and the same body on Bedrock `cohere.embed-*`), pure. */

export const COHERE_MAX_TEXTS = 96;
const INPUT_TYPES = ["search_document", "search_query", "classification", "clustering", "image"];

/** The validation message Cohere would answer for an embed body, or null. `model` is checked by the caller. */
export function checkEmbed(body: Record<string, unknown>): string | null {
  const texts = body["texts"];
  if (!Array.isArray(texts) || texts.length === 0 || !texts.every((t) => typeof t === "string")) return "texts must be a non-empty list of strings";
  if (texts.length > COHERE_MAX_TEXTS) return `too many texts: at most ${COHERE_MAX_TEXTS} per call, got ${texts.length}`;
  if (typeof body["input_type"] !== "string" || !INPUT_TYPES.includes(body["input_type"])) return "input_type is required for embed models v3 and higher";
  const types = body["embedding_types"];
  if (types !== undefined && !(Array.isArray(types) && types.every((t) => t === "float"))) return "the mock serves embedding_types [\"float\"] only";
  return null;
}

/** `response_type: embeddings_by_type` with float vectors and billed input tokens. */
export function cohereEmbedResponse(id: string, texts: string[], vectors: number[][], tokens: number): unknown {
  return {
    id,
    embeddings: { float: vectors },
    texts,
    meta: { api_version: { version: "2" }, billed_units: { input_tokens: tokens } },
    response_type: "embeddings_by_type",
  };
}
