import type { ChatInput, DeploymentSpec, PreparedDeployment, UpstreamRequest } from "../types";

const OPTION_HEADERS: Readonly<Record<string, string>> = {
  organization: "openai-organization",
  project: "openai-project",
};

/** Per-vendor variations of `prepareDeployment` (all optional; the defaults are OpenAI's behaviour). */
export interface PrepareStyle {
  /** Used when the deployment has no base URL. */
  readonly defaultBaseUrl?: string | null;
  /** deployment option → header name (default: OpenAI organization/project). */
  readonly optionHeaders?: Readonly<Record<string, string>>;
  /** A credential without `api_key` is accepted (servers that need no key, e.g. local ones). */
  readonly keyOptional?: boolean;
}

/** Once per snapshot: origin, chat path and the constant header list (credentials pre-encoded). */
export function prepareDeployment(
  deployment: DeploymentSpec,
  secrets: Readonly<Record<string, string>> | null,
  style: PrepareStyle = {},
): PreparedDeployment {
  let url: URL;
  try {
    url = new URL(deployment.baseUrl === "" && style.defaultBaseUrl ? style.defaultBaseUrl : deployment.baseUrl);
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
    if (apiKey !== undefined && apiKey !== "") headers.push("authorization", `Bearer ${apiKey}`);
    else if (style.keyOptional !== true) throw new Error(`deployment ${deployment.id}: credential has no api_key`);
  }
  for (const [option, header] of Object.entries(style.optionHeaders ?? OPTION_HEADERS)) {
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
  return chatBodyFor(input, input.upstreamModel, true);
}

/**
 * `chatBody` with the knobs other OpenAI-shaped upstreams need: `model` = the value to send (null keeps the
 * client's, e.g. Azure deployment routes ignore it) and whether to ask for stream usage via `stream_options`.
 */
export function chatBodyFor(input: ChatInput, model: string | null, requestStreamUsage: boolean): Uint8Array {
  const json = input.json;
  const renameModel = model !== null && json["model"] !== model;
  const addUsage = requestStreamUsage && input.stream && !input.clientIncludeUsage;
  if (!renameModel && !addUsage) return input.body;
  if (!renameModel && json["stream_options"] === undefined) {
    const injected = injectAfterBrace(input.body);
    if (injected !== null) return injected;
  }
  const copy: Record<string, unknown> = { ...json };
  if (renameModel) copy["model"] = model;
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
