/** What a scenario needs from a target: where to send, how to build a request, which process to watch. */
import type { RequestSpec } from "../lib/exchange";

export type TargetKind = "baseline" | "floor" | "product" | "peer";

/** What the mock is asked to do for one request (carried in the prompt, see mock-upstream.ts); always 20 words. */
export interface Payload {
  readonly stream: boolean;
  readonly latencyMs: number;
  readonly chunkDelayMs: number;
  /** Ask for the final usage chunk (`stream_options.include_usage`). */
  readonly includeUsage?: boolean;
}

export interface Target {
  readonly id: string;
  readonly label: string;
  readonly kind: TargetKind;
  /** The process under test (pinned to the proxy core); null for the direct baseline. */
  readonly pid: number | null;
  /** Helper processes worth reporting (the control plane), by name. */
  readonly helpers: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
  request(payload: Payload): RequestSpec;
  /** Figures read after the run (e.g. usage the control plane accounted). */
  afterRun?(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Node flags for a proxy under test: `--cpu-prof` into `profileDir` when profiling (not allowed in NODE_OPTIONS). */
export function profileArgs(profileDir: string | null, name: string): string[] {
  return profileDir === null ? [] : ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

export const CHAT_PATH = "/v1/chat/completions";
export const BENCH_MODEL = "mock-echo";
const PROMPT = "How much latency does a sidecar add to a chat completion request?";

export function chatBody(model: string, p: Payload): Buffer {
  const directives = `[mock:words=20][mock:latency=${p.latencyMs}]${p.chunkDelayMs > 0 ? `[mock:chunk-delay=${p.chunkDelayMs}]` : ""}`;
  const usage = p.stream && p.includeUsage === true ? { stream_options: { include_usage: true } } : {};
  return Buffer.from(
    JSON.stringify({ model, stream: p.stream, ...usage, messages: [{ role: "user", content: `${directives} ${PROMPT}` }] }),
  );
}

/** A request spec for an OpenAI-compatible endpoint at `origin` with extra headers. */
export function openAiSpec(origin: string, p: Payload, headers: readonly string[] = [], model = BENCH_MODEL): RequestSpec {
  return {
    origin,
    path: CHAT_PATH,
    headers: ["content-type", "application/json", ...headers],
    body: chatBody(model, p),
    streamEnd: p.stream ? "[DONE]" : null,
  };
}
