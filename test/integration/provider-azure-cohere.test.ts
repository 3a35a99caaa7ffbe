import assert from "node:assert/strict";
import { startAzureMock } from "../../mock-provider/src/azure/server";
import { startCohereMock } from "../../mock-provider/src/cohere/server";
import { describeProviderEndToEnd } from "../support/provider-suite";

describeProviderEndToEnd({
  provider: "azure-openai",
  startMock: () => startAzureMock({ port: 0 }),
  deployment: (mock) => ({ base_url: mock.url, upstream_model: "gpt-4o-prod", options: { api_version: "2024-10-21" } }),
  secrets: { api_key: "azure-TEST-key-0123456789" },
  checkUpstream: (req) => {
    assert.match(req.path, /^\/openai\/deployments\/gpt-4o-prod\/chat\/completions\?api-version=2024-10-21$/);
    assert.equal(req.headers["api-key"], "azure-TEST-key-0123456789");
    assert.equal(req.headers.authorization, undefined);
  },
});

describeProviderEndToEnd({
  provider: "cohere",
  startMock: () => startCohereMock({ port: 0 }),
  deployment: (mock) => ({ base_url: mock.url, upstream_model: "command-a-03-2025" }),
  secrets: { api_key: "cohere-TEST-key-0123456789" },
  checkUpstream: (req) => {
    assert.equal(req.path, "/v2/chat");
    assert.equal(req.headers.authorization, "Bearer cohere-TEST-key-0123456789");
    assert.equal((req.body as { model: string }).model, "command-a-03-2025");
  },
});
