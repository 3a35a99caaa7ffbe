import assert from "node:assert/strict";
import { startGeminiMock } from "../../mock-provider/src/gemini/server";
import { describeProviderEndToEnd } from "../support/provider-suite";

describeProviderEndToEnd({
  provider: "gemini",
  startMock: () => startGeminiMock({ port: 0 }),
  deployment: (mock) => ({ base_url: mock.url, upstream_model: "gemini-2.5-flash" }),
  secrets: { api_key: "AIza-TEST-gemini-key-0123456789" },
  checkUpstream: (req) => {
    assert.match(req.path, /^\/v1beta\/models\/gemini-2\.5-flash:generateContent/);
    assert.equal(req.headers["x-goog-api-key"], "AIza-TEST-gemini-key-0123456789");
    assert.ok(JSON.stringify((req.body as { systemInstruction?: unknown }).systemInstruction).includes("be brief"));
  },
});

describeProviderEndToEnd({
  provider: "vertex",
  startMock: () => startGeminiMock({ port: 0 }),
  deployment: (mock) => ({ base_url: mock.url, upstream_model: "gemini-2.5-pro", region: "europe-west4", options: { project: "acme-prod" } }),
  secrets: { access_token: "ya29.TEST-vertex-token" },
  checkUpstream: (req) => {
    assert.match(req.path, /^\/v1\/projects\/acme-prod\/locations\/europe-west4\/publishers\/google\/models\/gemini-2\.5-pro:generateContent/);
    assert.equal(req.headers.authorization, "Bearer ya29.TEST-vertex-token");
  },
});
