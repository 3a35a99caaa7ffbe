/**
 * POST /v1/embeddings end to end: the official OpenAI SDK → a real sidecar (policy from a real control plane)
 * → every provider family's wire-format mock. Vectors and their order, both encodings, batching split counts
 * seen by the mocks, usage records reaching the control plane, and the error cases.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { startAzureMock } from "../../mock-provider/src/azure/server";
import { MOCK_BEDROCK_CREDENTIALS, startBedrockMock } from "../../mock-provider/src/bedrock/server";
import { startCohereMock } from "../../mock-provider/src/cohere/server";
import { vectorValues } from "../../mock-provider/src/embeddings";
import { startGeminiMock } from "../../mock-provider/src/gemini/server";
import type { VendorMockHandle } from "../../mock-provider/src/node-http";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

/** One provider family as this suite drives it. */
interface EmbedCase {
  /** Route (public model) name; also the deployment and credential id. */
  name: string;
  provider: string;
  upstreamModel: string;
  /** The mock serving it (null: the stack's OpenAI mock). */
  mock: "azure" | "gemini" | "cohere" | "bedrock" | null;
  deployment: Record<string, unknown>;
  secrets: Record<string, string>;
  /** Path the mock counts per upstream call. */
  path: string;
  /** Inputs per upstream call the adapter sends at most. */
  batch: number;
}

const BEDROCK_REGION = "eu-west-1";
const BEDROCK_SECRETS = { access_key_id: MOCK_BEDROCK_CREDENTIALS.accessKeyId, secret_access_key: MOCK_BEDROCK_CREDENTIALS.secretAccessKey };

const CASES: EmbedCase[] = [
  { name: "emb-openai", provider: "openai", upstreamModel: "text-embedding-3-small", mock: null, deployment: {}, secrets: { api_key: "sk-TEST-openai" }, path: "/v1/embeddings", batch: 2048 },
  { name: "emb-mistral", provider: "mistral", upstreamModel: "mistral-embed", mock: null, deployment: {}, secrets: { api_key: "TEST-mistral" }, path: "/v1/embeddings", batch: 2048 },
  { name: "emb-ollama", provider: "ollama", upstreamModel: "nomic-embed-text", mock: null, deployment: {}, secrets: { api_key: "ollama" }, path: "/v1/embeddings", batch: 2048 },
  {
    name: "emb-azure",
    provider: "azure-openai",
    upstreamModel: "embed-prod",
    mock: "azure",
    deployment: { options: { api_version: "2024-10-21" } },
    secrets: { api_key: "azure-TEST-key" },
    path: "/openai/deployments/embed-prod/embeddings",
    batch: 2048,
  },
  { name: "emb-azure-v1", provider: "azure-openai", upstreamModel: "embed-v1", mock: "azure", deployment: { options: { api_style: "v1" } }, secrets: { api_key: "azure-TEST-key" }, path: "/openai/v1/embeddings", batch: 2048 },
  { name: "emb-gemini", provider: "gemini", upstreamModel: "gemini-embedding-001", mock: "gemini", deployment: {}, secrets: { api_key: "AIza-TEST" }, path: "/v1beta/models/gemini-embedding-001:batchEmbedContents", batch: 100 },
  {
    name: "emb-vertex",
    provider: "vertex",
    upstreamModel: "text-embedding-005",
    mock: "gemini",
    deployment: { region: "us-central1", options: { project: "acme" } },
    secrets: { access_token: "ya29.TEST" },
    path: "/v1/projects/acme/locations/us-central1/publishers/google/models/text-embedding-005:predict",
    batch: 250,
  },
  { name: "emb-cohere", provider: "cohere", upstreamModel: "embed-english-v3.0", mock: "cohere", deployment: {}, secrets: { api_key: "cohere-TEST" }, path: "/v2/embed", batch: 96 },
  {
    name: "emb-titan",
    provider: "bedrock",
    upstreamModel: "amazon.titan-embed-text-v2:0",
    mock: "bedrock",
    deployment: { region: BEDROCK_REGION },
    secrets: BEDROCK_SECRETS,
    path: "/model/amazon.titan-embed-text-v2%3A0/invoke",
    batch: 1,
  },
  {
    name: "emb-bedrock-cohere",
    provider: "bedrock",
    upstreamModel: "cohere.embed-english-v3",
    mock: "bedrock",
    deployment: { region: BEDROCK_REGION },
    secrets: BEDROCK_SECRETS,
    path: "/model/cohere.embed-english-v3/invoke",
    batch: 96,
  },
];

interface UsageRecord {
  request_id: string;
  endpoint: string;
  provider: string;
  model: string;
  status: number;
  error_code: string;
  prompt_tokens: number;
  completion_tokens: number;
}

const TEXTS = ["alpha", "beta", "gamma"];
/** ceil(utf8 bytes / 4) per text: what the mocks bill and the Gemini estimate counts. */
const TEXT_TOKENS = 2 + 1 + 2;

describe("POST /v1/embeddings: OpenAI SDK → sidecar → every provider mock", () => {
  let stack: Stack;
  let client: OpenAI;
  const mocks: Record<"azure" | "gemini" | "cohere" | "bedrock", VendorMockHandle> = {} as Record<"azure" | "gemini" | "cohere" | "bedrock", VendorMockHandle>;
  let seq = 0;
  const requestId = (c: EmbedCase, what: string): string => `${c.name}-${what}-${++seq}`;

  /** Upstream calls the case's mock received on its path since the last reset. */
  const calls = (c: EmbedCase): number => (c.mock === null ? (stack.mock.stats().requests.byPath[c.path] ?? 0) : (mocks[c.mock].requestCounts()[c.path] ?? 0));
  const resetCalls = (c: EmbedCase): void => (c.mock === null ? stack.mock.reset() : mocks[c.mock].resetRequestCounts());

  const post = (body: unknown, id = `raw-${++seq}`) =>
    fetch(`${stack.sidecar.url}/v1/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.demoKey}`, "content-type": "application/json", "x-request-id": id },
      body: JSON.stringify(body),
    });

  const record = async (id: string): Promise<UsageRecord> => {
    const { value } = await waitFor(async () => {
      const body = (await stack.admin.ok("GET", "/api/v1/usage/records?limit=1000")) as { data: UsageRecord[] };
      return body.data.find((r) => r.request_id === id);
    }, 5000);
    return value;
  };

  before(async () => {
    stack = await startStack({ logLevel: "warn" });
    mocks.azure = await startAzureMock({ port: 0 });
    mocks.gemini = await startGeminiMock({ port: 0 });
    mocks.cohere = await startCohereMock({ port: 0 });
    mocks.bedrock = await startBedrockMock({ port: 0, region: BEDROCK_REGION });
    for (const c of CASES) {
      await stack.admin.ok("PUT", `/api/v1/providers/${c.name}`, { provider: c.provider, secrets: c.secrets });
      await stack.admin.ok("PUT", `/api/v1/deployments/${c.name}`, {
        provider: c.provider,
        credential_id: c.name,
        base_url: c.mock === null ? stack.mock.baseUrl : mocks[c.mock].url,
        upstream_model: c.upstreamModel,
        ...c.deployment,
      });
      await stack.admin.ok("PUT", `/api/v1/routes/${c.name}`, { targets: [{ deployment_id: c.name }] });
    }
    await stack.admin.ok("PUT", "/api/v1/providers/emb-anthropic", { provider: "anthropic", secrets: { api_key: "sk-ant-TEST" } });
    await stack.admin.ok("PUT", "/api/v1/deployments/emb-anthropic", { provider: "anthropic", credential_id: "emb-anthropic", base_url: "http://127.0.0.1:9", upstream_model: "claude-sonnet-4-5" });
    await stack.admin.ok("PUT", "/api/v1/routes/emb-anthropic", { targets: [{ deployment_id: "emb-anthropic" }] });
    await stack.admin.ok("PUT", "/api/v1/deployments/emb-bedrock-chat", { provider: "bedrock", credential_id: "emb-titan", base_url: mocks.bedrock.url, region: BEDROCK_REGION, upstream_model: "anthropic.claude-3-haiku-20240307-v1:0" });
    await stack.admin.ok("PUT", "/api/v1/routes/emb-bedrock-chat", { targets: [{ deployment_id: "emb-bedrock-chat" }] });
    client = new OpenAI({ apiKey: stack.demoKey, baseURL: `${stack.sidecar.url}/v1`, maxRetries: 0 });
    await waitFor(async () => (await client.models.list()).data.some((m) => m.id === "emb-bedrock-chat"), 3000);
  });

  after(async () => {
    await stack.close();
    for (const m of Object.values(mocks)) await m.close();
  });

  for (const c of CASES) {
    describe(`${c.name} (${c.provider})`, () => {
      test("float vectors in input order with usage, recorded in the control plane", async () => {
        resetCalls(c);
        const id = requestId(c, "float");
        const res = await client.embeddings.create({ model: c.name, input: TEXTS, encoding_format: "float" }, { headers: { "x-request-id": id } });
        assert.equal(res.object, "list");
        assert.deepEqual(res.data.map((d) => d.index), [0, 1, 2]);
        assert.deepEqual(res.data.map((d) => d.embedding), TEXTS.map((t) => vectorValues(t, 8)));
        assert.equal(res.usage.prompt_tokens, TEXT_TOKENS);
        assert.equal(calls(c), Math.ceil(TEXTS.length / c.batch));
        const rec = await record(id);
        assert.deepEqual([rec.endpoint, rec.provider, rec.model, rec.status, rec.error_code, rec.prompt_tokens, rec.completion_tokens], ["/v1/embeddings", c.provider, c.name, 200, "", TEXT_TOKENS, 0]);
      });

      // checklist #58
      test("base64 (the SDK's default, decoded by the SDK) decodes to the same float32 vectors", async () => {
        const res = await client.embeddings.create({ model: c.name, input: "alpha" });
        assert.deepEqual(res.data.map((d) => d.embedding), [vectorValues("alpha", 8)]);
        const raw = await post({ model: c.name, input: ["beta"], encoding_format: "base64" });
        const body = (await raw.json()) as { data: { embedding: string }[] };
        assert.equal(raw.status, 200);
        const bytes = Buffer.from(body.data[0]?.embedding ?? "", "base64");
        assert.deepEqual(Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4)), vectorValues("beta", 8));
      });

      // checklist #59
      test("a batch beyond the provider's limit is split, reassembled in order, usage summed", { skip: c.batch >= 2048 }, async () => {
        const n = c.batch === 1 ? 3 : c.batch + 54;
        const texts = Array.from({ length: n }, (_, i) => `t${i}`);
        resetCalls(c);
        const id = requestId(c, "batch");
        const res = await client.embeddings.create({ model: c.name, input: texts, encoding_format: "float" }, { headers: { "x-request-id": id } });
        assert.equal(calls(c), Math.ceil(n / c.batch));
        assert.deepEqual(res.data.map((d) => d.index), texts.map((_, i) => i));
        for (const [i, d] of res.data.entries()) assert.deepEqual(d.embedding, vectorValues(`t${i}`, 8), `vector ${i}`);
        assert.equal(res.usage.prompt_tokens, n);
        assert.equal((await record(id)).prompt_tokens, n);
      });

      test("a provider 429 arrives as an OpenAI 429 with retry-after", async () => {
        const res = await post({ model: c.name, input: ["ok", "[mock:error=429:retry-after=4] x"] });
        const body = (await res.json()) as { error?: { message?: unknown } };
        assert.equal(res.status, 429, JSON.stringify(body));
        assert.ok(res.headers.get("retry-after"), "retry-after kept");
        assert.equal(typeof body.error?.message, "string");
      });
    });
  }

  test("OpenAI: only the model is rewritten (route alias → upstream model); token-id inputs are accepted", async () => {
    stack.mock.reset();
    const res = await client.embeddings.create({ model: "emb-openai", input: [[1, 2, 3]], encoding_format: "float", user: "u-1" });
    assert.deepEqual(res.data[0]?.embedding, vectorValues("[1,2,3]", 8));
    assert.equal(res.usage.prompt_tokens, 3);
    assert.deepEqual(stack.mock.stats().lastRequest?.body, { model: "text-embedding-3-small", input: [[1, 2, 3]], encoding_format: "float", user: "u-1" });
  });

  test("Mistral gets output_dimension instead of dimensions and no user", async () => {
    stack.mock.reset();
    await client.embeddings.create({ model: "emb-mistral", input: "alpha", dimensions: 8, user: "u", encoding_format: "float" });
    assert.deepEqual(stack.mock.stats().lastRequest?.body, { model: "mistral-embed", input: "alpha", encoding_format: "float", output_dimension: 8 });
  });

  test("a failing sub-call fails the whole batched request with its mapped error", async () => {
    const texts = Array.from({ length: 150 }, (_, i) => (i === 120 ? "[mock:error=503] t" : `t${i}`));
    const res = await post({ model: "emb-cohere", input: texts });
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { data?: unknown }).data, undefined);
  });

  test("unknown model → 404 model_not_found", async () => {
    const res = await post({ model: "no-such-embedder", input: "x" });
    assert.equal(res.status, 404);
    assert.deepEqual(((await res.json()) as { error: unknown }).error, { message: "The model 'no-such-embedder' does not exist or has no route.", type: "invalid_request_error", param: "model", code: "model_not_found" });
  });

  test("a provider or model that cannot embed → 400 embeddings_not_supported, nothing sent", async () => {
    mocks.bedrock.resetRequestCounts();
    for (const model of ["emb-anthropic", "emb-bedrock-chat"]) {
      const res = await post({ model, input: "x" });
      const body = (await res.json()) as { error: { code: string; param: string; type: string } };
      assert.equal(res.status, 400);
      assert.deepEqual([body.error.code, body.error.param, body.error.type], ["embeddings_not_supported", "model", "invalid_request_error"]);
    }
    assert.deepEqual(mocks.bedrock.requestCounts(), {});
  });

  test("token ids to a text-only provider and malformed bodies → 400 invalid_request naming the param", async () => {
    mocks.cohere.resetRequestCounts();
    const cases: [unknown, string][] = [
      [{ model: "emb-cohere", input: [[1, 2]] }, "input"],
      [{ model: "emb-cohere", input: ["a", ""] }, "input[1]"],
      [{ model: "emb-cohere", input: "a", encoding_format: "int8" }, "encoding_format"],
      [{ model: "emb-cohere", input: "a", dimensions: -1 }, "dimensions"],
      [{ input: "a" }, "model"],
    ];
    for (const [body, param] of cases) {
      const res = await post(body);
      const err = ((await res.json()) as { error: { code: string; param: string } }).error;
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual([err.code, err.param], ["invalid_request", param]);
    }
    assert.deepEqual(mocks.cohere.requestCounts(), {});
  });

  test("GET /v1/embeddings → 405 with allow: POST", async () => {
    const res = await fetch(`${stack.sidecar.url}/v1/embeddings`, { headers: { authorization: `Bearer ${stack.demoKey}` } });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "POST");
  });
});
