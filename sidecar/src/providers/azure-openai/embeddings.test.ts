import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { embeddingsInput } from "../shared/embeddings-testing";
import { azureOpenAiAdapter } from "./adapter";

const prepare = (options: Record<string, string>) =>
  azureOpenAiAdapter.prepare({ id: "d", provider: "azure-openai", baseUrl: "https://r.openai.azure.com", region: "", options }, { api_key: "k" });
const embeddings = azureOpenAiAdapter.embeddings;

describe("Azure OpenAI embeddings routes", () => {
  it("deployment route: path carries deployment and api-version, body bytes unchanged", () => {
    assert.ok(embeddings);
    const input = embeddingsInput({ model: "public-name", input: ["a"] }, { upstreamModel: "embed-prod" });
    const req = embeddings.buildEmbeddingsRequest(prepare({ api_version: "2024-10-21" }), input);
    assert.equal(req.path, "/openai/deployments/embed-prod/embeddings?api-version=2024-10-21");
    assert.equal(req.body, input.body);
    assert.deepEqual(req.headers.slice(2), ["api-key", "k"]);
  });
  it("v1 route: /openai/v1/embeddings with the deployment as model", () => {
    assert.ok(embeddings);
    const req = embeddings.buildEmbeddingsRequest(prepare({ api_style: "v1", deployment: "fixed" }), embeddingsInput({ model: "public-name", input: "a" }));
    assert.equal(req.path, "/openai/v1/embeddings");
    assert.equal(JSON.parse(Buffer.from(req.body).toString()).model, "fixed");
  });
});
