/**
 * `InvokeModel` for the embedding models (native bodies, providers.md §5.7):
 * - `amazon.titan-embed-text-v2:0` / `-v1`: `{inputText, dimensions?}` (one text; v2 dimensions 256|512|1024,
 *   anything else is accepted here to keep vectors small in tests) → `{embedding, inputTextTokenCount}`.
 * - `cohere.embed-*`: the Cohere embed body without `model` → `embeddings_by_type` floats; the token count
 *   travels in `X-Amzn-Bedrock-Input-Token-Count` as on Bedrock.
 * Other model ids answer ValidationException. `[mock:…]` directives apply per text.
 */
import { DEFAULT_DIMENSIONS, planVendorEmbeddings, vectorValues } from "../embeddings";
import { checkEmbed, cohereEmbedResponse } from "../cohere/embed";
import { sleep } from "../node-http";
import { injectedError, validation, type BedrockMockError } from "./errors";

export interface InvokeAnswer {
  body: unknown;
  headers: Record<string, string>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export async function invoke(modelId: string, body: unknown, latencyMs: number): Promise<InvokeAnswer | BedrockMockError> {
  if (!isObject(body)) return validation("Malformed input request, please reformat your input and try again.");
  const titan = modelId.includes("amazon.titan-embed");
  if (!titan && !modelId.includes("cohere.embed")) return validation(`The provided model identifier is invalid or does not support InvokeModel embeddings: ${modelId}`);
  let texts: string[];
  if (titan) {
    if (typeof body["inputText"] !== "string" || body["inputText"] === "") return validation("Malformed input request: #: required key [inputText] not found");
    if (body["dimensions"] !== undefined && !modelId.includes("-v2")) return validation("Malformed input request: #: extraneous key [dimensions] is not permitted");
    texts = [body["inputText"]];
  } else {
    const problem = checkEmbed(body);
    if (problem !== null) return validation(`Malformed input request: ${problem}`);
    texts = body["texts"] as string[];
  }
  const plan = planVendorEmbeddings(texts);
  if (plan.invalid.length > 0) return validation(`Unknown mock directive(s): ${plan.invalid.join(", ")}`);
  await sleep(plan.latencyMs || latencyMs);
  if (plan.error) return injectedError(plan.error.status);
  const dimsField = titan ? body["dimensions"] : body["output_dimension"];
  const dims = typeof dimsField === "number" ? dimsField : DEFAULT_DIMENSIONS;
  const vectors = plan.texts.map((t) => vectorValues(t, dims));
  if (titan) return { body: { embedding: vectors[0], embeddingsByType: { float: vectors[0] }, inputTextTokenCount: plan.tokens }, headers: {} };
  return { body: cohereEmbedResponse(`mock-bedrock-embed`, texts, vectors, plan.tokens), headers: { "x-amzn-bedrock-input-token-count": String(plan.tokens) } };
}
