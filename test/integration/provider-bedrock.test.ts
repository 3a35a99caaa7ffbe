import assert from "node:assert/strict";
import { MOCK_BEDROCK_CREDENTIALS, startBedrockMock } from "../../mock-provider/src/bedrock/server";
import { describeProviderEndToEnd } from "../support/provider-suite";

const SESSION_TOKEN = "IQoJb3JpZ2luX2VjE-TEST-session";

// The mock verifies every request's SigV4 signature with an independent implementation (@smithy/signature-v4)
// and answers 403 InvalidSignatureException when it does not match.
describeProviderEndToEnd({
  provider: "bedrock",
  startMock: () => startBedrockMock({ port: 0, region: "eu-west-1", credentials: { ...MOCK_BEDROCK_CREDENTIALS, sessionToken: SESSION_TOKEN } }),
  deployment: (mock) => ({ base_url: mock.url, region: "eu-west-1", upstream_model: "anthropic.claude-3-haiku-20240307-v1:0" }),
  secrets: {
    access_key_id: MOCK_BEDROCK_CREDENTIALS.accessKeyId,
    secret_access_key: MOCK_BEDROCK_CREDENTIALS.secretAccessKey,
    session_token: SESSION_TOKEN,
  },
  checkUpstream: (req) => {
    assert.equal(req.path, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
    assert.match(req.headers.authorization ?? "", /^AWS4-HMAC-SHA256 Credential=AKIDMOCKBEDROCK\/\d{8}\/eu-west-1\/bedrock\/aws4_request/);
    assert.equal(req.headers["x-amz-security-token"], SESSION_TOKEN);
  },
});
