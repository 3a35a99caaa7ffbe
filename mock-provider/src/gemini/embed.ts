/**
 * Embeddings on the Google mock: Gemini API `:batchEmbedContents` (≤100 requests, each naming the same model,
 * `{embeddings:[{values}]}`, no token counts, as the real API) and `:embedContent`; Vertex AI `:predict`
 * (`instances[].content` → `predictions[].embeddings.{values, statistics.token_count}`; `gemini-embedding-*`
 * models take one instance per call). `outputDimensionality` (default 8); `[mock:…]` directives per text.
 */
import type { ServerResponse } from "node:http";
import { DEFAULT_DIMENSIONS, planVendorEmbeddings, vectorValues } from "../embeddings";
import { textTokens } from "../usage";
import { injectedGoogleError, invalidArgument, type GoogleError } from "./errors";
import { isObject, type Json } from "./generate";
import { sleep } from "../node-http";

export const EMBED_METHODS: ReadonlySet<string> = new Set(["batchEmbedContents", "embedContent", "predict"]);
export const GEMINI_MAX_BATCH = 100;
export const VERTEX_MAX_INSTANCES = 250;

interface EmbedRoute {
  dialect: "gemini" | "vertex";
  model: string;
  method: string;
}

interface Item {
  text: string;
  dims: number;
}

function dimsOf(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : DEFAULT_DIMENSIONS;
}

function contentText(content: unknown): string | null {
  if (!isObject(content) || !Array.isArray(content["parts"])) return null;
  const part: unknown = content["parts"][0];
  return isObject(part) && typeof part["text"] === "string" ? part["text"] : null;
}

/** The texts of a request, or the INVALID_ARGUMENT the real API answers. */
function items(r: EmbedRoute, body: Json): Item[] | GoogleError {
  if (r.method === "embedContent") {
    const text = contentText(body["content"]);
    return text === null ? invalidArgument("* EmbedContentRequest.content: contents is not specified") : [{ text, dims: dimsOf(body["outputDimensionality"]) }];
  }
  if (r.method === "batchEmbedContents") {
    const requests = body["requests"];
    if (!Array.isArray(requests) || requests.length === 0) return invalidArgument("* BatchEmbedContentsRequest.requests: requests is not specified");
    if (requests.length > GEMINI_MAX_BATCH) return invalidArgument(`* BatchEmbedContentsRequest.requests: at most ${GEMINI_MAX_BATCH} requests can be in one batch`);
    const out: Item[] = [];
    for (const request of requests) {
      const text = isObject(request) ? contentText(request["content"]) : null;
      if (text === null || !isObject(request)) return invalidArgument("* BatchEmbedContentsRequest.requests[].content: contents is not specified");
      if (request["model"] !== `models/${r.model}`) return invalidArgument(`Model names must match: models/${r.model} vs ${String(request["model"])}`);
      out.push({ text, dims: dimsOf(request["outputDimensionality"]) });
    }
    return out;
  }
  const instances = body["instances"];
  const limit = r.model.startsWith("gemini-embedding") ? 1 : VERTEX_MAX_INSTANCES;
  if (!Array.isArray(instances) || instances.length === 0) return invalidArgument("instances is required");
  if (instances.length > limit) return invalidArgument(`Unable to submit request because the model supports up to ${limit} instances per call.`);
  const parameters = isObject(body["parameters"]) ? body["parameters"] : {};
  const out: Item[] = [];
  for (const instance of instances) {
    if (!isObject(instance) || typeof instance["content"] !== "string") return invalidArgument("instances[].content is required");
    out.push({ text: instance["content"], dims: dimsOf(parameters["outputDimensionality"]) });
  }
  return out;
}

export async function embed(r: EmbedRoute, body: Json, res: ServerResponse, latencyMs: number): Promise<void> {
  const send = (status: number, payload: string): void => void res.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(payload);
  const list = items(r, body);
  if (!Array.isArray(list)) return send(list.status, list.body);
  const plan = planVendorEmbeddings(list.map((i) => i.text));
  if (plan.invalid.length > 0) return send(400, invalidArgument(`Unknown or malformed mock directive(s): ${plan.invalid.join(" ")}`).body);
  await sleep(plan.latencyMs || latencyMs);
  if (plan.error) {
    const e = injectedGoogleError(plan.error.status, plan.error.retryAfter);
    return send(e.status, e.body);
  }
  const vectors = plan.texts.map((t, i) => vectorValues(t, (list[i] as Item).dims));
  if (r.method === "embedContent") return send(200, JSON.stringify({ embedding: { values: vectors[0] } }));
  if (r.method === "batchEmbedContents") return send(200, JSON.stringify({ embeddings: vectors.map((values) => ({ values })) }));
  const predictions = vectors.map((values, i) => ({ embeddings: { values, statistics: { token_count: textTokens((list[i] as Item).text), truncated: false } } }));
  send(200, JSON.stringify({ predictions, metadata: { billableCharacterCount: list.reduce((n, i) => n + i.text.length, 0) } }));
}
