import type { ChatInput, DeploymentSpec, PreparedDeployment, UpstreamRequest } from "../types";

const OPTION_HEADERS: Readonly<Record<string, string>> = {
  organization: "openai-organization",
  project: "openai-project",
};

/** Once per snapshot: origin, chat path and the constant header list (credentials pre-encoded). */
export function prepareDeployment(
  deployment: DeploymentSpec,
  secrets: Readonly<Record<string, string>> | null,
): PreparedDeployment {
  let url: URL;
  try {
    url = new URL(deployment.baseUrl);
  } catch {
    throw new Error(`deployment ${deployment.id}: base_url is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`deployment ${deployment.id}: base_url must be http(s)`);
  }
  const basePath = url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : url.pathname;
  const headers: string[] = ["content-type", "application/json"];
  if (secrets !== null) {
    const apiKey = secrets["api_key"];
    if (apiKey === undefined || apiKey === "") {
      throw new Error(`deployment ${deployment.id}: credential has no api_key`);
    }
    headers.push("authorization", `Bearer ${apiKey}`);
  }
  for (const [option, header] of Object.entries(OPTION_HEADERS)) {
    const value = deployment.options[option];
    if (value !== undefined && value !== "") headers.push(header, value);
  }
  return Object.freeze({
    origin: url.origin,
    chatPath: `${basePath}/chat/completions`,
    headers: Object.freeze(headers),
  });
}

const INJECT_USAGE = Buffer.from('"stream_options":{"include_usage":true},');
const OPEN_BRACE = 0x7b;

/**
 * Forwards the client's bytes unchanged unless a field must change: the model name (deployment alias) or,
 * for streams, `stream_options.include_usage` (the sidecar always needs the final usage figure).
 */
export function buildChatRequest(target: PreparedDeployment, input: ChatInput): UpstreamRequest {
  return { method: "POST", path: target.chatPath, headers: target.headers, body: chatBody(input) };
}

export function chatBody(input: ChatInput): Uint8Array {
  const json = input.json;
  const renameModel = json["model"] !== input.upstreamModel;
  const addUsage = input.stream && !input.clientIncludeUsage;
  if (!renameModel && !addUsage) return input.body;
  if (!renameModel && json["stream_options"] === undefined) {
    const injected = injectAfterBrace(input.body);
    if (injected !== null) return injected;
  }
  const copy: Record<string, unknown> = { ...json };
  if (renameModel) copy["model"] = input.upstreamModel;
  if (addUsage) {
    const current = json["stream_options"];
    copy["stream_options"] = { ...(typeof current === "object" && current !== null ? current : {}), include_usage: true };
  }
  return Buffer.from(JSON.stringify(copy));
}

/** Inserts the include_usage member right after the opening brace (the body is a non-empty object). */
function injectAfterBrace(body: Uint8Array): Uint8Array | null {
  const brace = body.indexOf(OPEN_BRACE);
  if (brace === -1) return null;
  return Buffer.concat([body.subarray(0, brace + 1), INJECT_USAGE, body.subarray(brace + 1)]);
}
