/**
 * The translation path (OpenAI client → Sidegate → Anthropic wire format). Present only when both halves
 * exist at run time: an `anthropic` entry in the provider registry and `startAnthropicMock` exported by
 * mock-provider/src/anthropic/server.ts. The direct baseline speaks Anthropic's own API to the same mock.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RequestSpec } from "../lib/exchange";
import { launch, type Launched } from "../lib/launcher";
import type { AdminApi } from "./sidegate";
import { chatBody, type Payload } from "./types";

export const ANTHROPIC_MOCK_MODULE = join(__dirname, "../../mock-provider/src/anthropic/server.js");
const REGISTRY_MODULE = join(__dirname, "../../sidecar/src/providers/registry.js");
export const TRANSLATED_MODEL = "mock-echo-anthropic";
const UPSTREAM_MODEL = "mock-echo";

export interface Availability {
  readonly available: boolean;
  readonly reason: string;
}

export function translationAvailability(): Availability {
  const registry = require(REGISTRY_MODULE) as { PROVIDERS?: Record<string, unknown> };
  const providers = registry.PROVIDERS ?? {};
  if (!Object.prototype.hasOwnProperty.call(providers, "anthropic")) {
    return { available: false, reason: "not available yet: no `anthropic` entry in sidecar/src/providers/registry.ts (PROVIDERS)" };
  }
  if (!existsSync(ANTHROPIC_MOCK_MODULE)) {
    return { available: false, reason: "not available yet: mock-provider/src/anthropic/server.ts does not exist" };
  }
  const mock = require(ANTHROPIC_MOCK_MODULE) as { startAnthropicMock?: unknown };
  if (typeof mock.startAnthropicMock !== "function") {
    return { available: false, reason: "not available yet: mock-provider/src/anthropic/server.ts does not export startAnthropicMock" };
  }
  return { available: true, reason: "" };
}

export interface AnthropicUpstream {
  readonly origin: string;
  readonly baseUrl: string;
  readonly process: Launched;
}

export async function startAnthropicUpstream(core: number | null): Promise<AnthropicUpstream> {
  const child = launch({
    name: "anthropic-upstream",
    args: [join(__dirname, "anthropic-upstream.js")],
    env: { PATH: process.env.PATH ?? "", BENCH_MOCK_WORDS: "20" },
    core,
  });
  const m = await child.waitFor(/listening (\S+) (\S+)/, 15_000);
  return { origin: new URL(m[1] as string).origin, baseUrl: m[2] as string, process: child };
}

/** Deployment + route for the translated model; run before the sidecar starts. */
export async function seedAnthropic(admin: AdminApi, baseUrl: string): Promise<void> {
  await admin.call("PUT", "/api/v1/providers/anthropic-cred", { provider: "anthropic", secrets: { api_key: "sk-ant-bench-unused" } });
  await admin.call("PUT", "/api/v1/deployments/anthropic-mock", {
    provider: "anthropic",
    base_url: baseUrl,
    credential_id: "anthropic-cred",
    upstream_model: UPSTREAM_MODEL,
  });
  await admin.call("PUT", `/api/v1/routes/${TRANSLATED_MODEL}`, { targets: [{ deployment_id: "anthropic-mock" }] });
}

/** The same question in Anthropic's own wire format, straight to the mock. */
export function anthropicDirectSpec(origin: string, p: Payload): RequestSpec {
  const openAi = JSON.parse(chatBody(UPSTREAM_MODEL, p).toString("utf8")) as Record<string, unknown>;
  return {
    origin,
    path: "/v1/messages",
    headers: ["content-type", "application/json", "x-api-key", "sk-ant-bench-unused", "anthropic-version", "2023-06-01"],
    body: Buffer.from(JSON.stringify({ ...openAi, max_tokens: 256 })),
    streamEnd: p.stream ? "message_stop" : null,
  };
}
