import { lastUserMessage, parseChatRequest } from "./chat-request";
import { buildStreamFrames } from "./chunks";
import { completionResponse, planCompletion } from "./completion";
import { parseDirectives, type MockDirectives } from "./directives";
import { embeddingsResponse, parseEmbeddingsRequest } from "./embeddings";
import { injectedError, invalidRequest, modelNotFound } from "./errors";
import { send, sendError, sendJson, writePartial, type RequestCtx } from "./http-io";
import type { StatsRecorder } from "./stats";
import { writeStream } from "./stream-writer";
import type { MockRequestInfo } from "./types";
import { contentText } from "./usage";

export interface HandlerEnv {
  latencyMs: number;
  chunkDelayMs: number;
  chunks: number | undefined;
  stats: StatsRecorder;
  nextCompletionId(): string;
  nextToolCallId(): string;
}

export const MOCK_MODELS = ["mock-echo", "mock-embed"];
const MODEL_CREATED = 1700000000;
const GARBAGE = "<html>this is not json {{{";

/** Per-request header overrides, read synchronously in the route callback. */
export interface HeaderOverrides {
  latencyMs?: number;
  chunkDelayMs?: number;
}

export function headerOverrides(headers: Record<string, string>): HeaderOverrides {
  const out: HeaderOverrides = {};
  const l = headers["x-mock-latency-ms"];
  if (l !== undefined && /^\d{1,9}$/.test(l)) out.latencyMs = Number(l);
  const c = headers["x-mock-chunk-delay-ms"];
  if (c !== undefined && /^\d{1,9}$/.test(c)) out.chunkDelayMs = Number(c);
  return out;
}

/** JSON-parse a body and remember it as the last request's body (raw text when it is not JSON). */
export function parseJsonBody(env: HandlerEnv, info: MockRequestInfo, raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  const text = raw.toString("utf8");
  try {
    const value: unknown = JSON.parse(text);
    env.stats.body(info, value);
    return { ok: true, value };
  } catch {
    env.stats.body(info, text);
    return { ok: false };
  }
}

/** Shared prelude of every directive-aware endpoint: invalid directives, latency, hang, injected errors. */
async function prelude(env: HandlerEnv, ctx: RequestCtx, d: MockDirectives, invalid: string[], h: HeaderOverrides, param: string): Promise<boolean> {
  if (invalid.length > 0) {
    sendError(ctx, invalidRequest(`Unknown or malformed mock directive(s): ${invalid.join(" ")}`, param, "invalid_mock_directive"));
    return false;
  }
  const latency = d.latencyMs ?? h.latencyMs ?? env.latencyMs;
  if (!(await ctx.wait(latency))) return false;
  if (d.hang) return false;
  if (d.error) {
    env.stats.errorInjected();
    sendError(ctx, injectedError(d.error.status, d.error.retryAfter));
    return false;
  }
  return true;
}

export async function handleChat(env: HandlerEnv, ctx: RequestCtx, body: unknown, h: HeaderOverrides, stream: { active: boolean }): Promise<void> {
  const parsed = parseChatRequest(body);
  if (!parsed.ok) return sendError(ctx, parsed.error);
  const request = parsed.value;
  const last = lastUserMessage(request.messages);
  const { text, directives: d, invalid } = parseDirectives(last ? contentText(last.content) : "");
  if (!(await prelude(env, ctx, d, invalid, h, "messages"))) return;

  if (d.garbage) {
    return request.stream
      ? send(ctx, 200, "text/event-stream", `data: ${GARBAGE}\n\ndata: [DONE]\n\n`)
      : send(ctx, 200, "application/json", GARBAGE);
  }
  const plan = planCompletion({
    request,
    userText: text,
    id: env.nextCompletionId(),
    created: Math.floor(Date.now() / 1000),
    words: d.words ?? env.chunks,
    nextToolCallId: () => env.nextToolCallId(),
  });

  if (!request.stream) {
    const json = JSON.stringify(completionResponse(plan));
    if (d.closeMidStream !== undefined || d.stallAfter !== undefined) {
      writePartial(ctx, "application/json", json.slice(0, Math.floor(json.length / 2)));
      if (d.closeMidStream !== undefined && (await ctx.wait(25))) ctx.kill();
      return;
    }
    if (!ctx.alive) return;
    sendJson(ctx, 200, json);
    env.stats.usage(plan.usage);
    return;
  }

  const { frames, usageFrameIndex } = buildStreamFrames(plan, request.includeUsage);
  const outcome = await writeStream(ctx, frames, {
    chunkDelayMs: d.chunkDelayMs ?? h.chunkDelayMs ?? env.chunkDelayMs,
    ...(d.closeMidStream !== undefined ? { closeAt: d.closeMidStream } : {}),
    ...(d.stallAfter !== undefined ? { stallAt: d.stallAfter } : {}),
    usageFrameIndex,
    onUsage: () => env.stats.usage(plan.usage),
    onStart: () => {
      stream.active = true;
      env.stats.streamStarted();
    },
  });
  if (outcome === "completed") {
    stream.active = false;
    env.stats.streamCompleted();
  } else if (outcome === "closed") {
    stream.active = false;
    env.stats.streamClosedByMock();
  }
  // "aborted" is counted by the abort handler; "stalled" stays open until the client or close() ends it.
}

export async function handleEmbeddings(env: HandlerEnv, ctx: RequestCtx, body: unknown, h: HeaderOverrides): Promise<void> {
  const parsed = parseEmbeddingsRequest(body);
  if (!parsed.ok) return sendError(ctx, parsed.error);
  const req = parsed.value;
  const merged: MockDirectives = { hang: false, garbage: false };
  const invalid: string[] = [];
  const texts = req.inputs.map((input) => {
    if (typeof input !== "string") return JSON.stringify(input);
    const p = parseDirectives(input);
    invalid.push(...p.invalid);
    Object.assign(merged, stripDefaults(p.directives), { hang: merged.hang || p.directives.hang, garbage: merged.garbage || p.directives.garbage });
    return p.text;
  });
  if (!(await prelude(env, ctx, merged, invalid, h, "input"))) return;
  if (merged.garbage) return send(ctx, 200, "application/json", GARBAGE);
  const response = embeddingsResponse(req, texts);
  if (!ctx.alive) return;
  sendJson(ctx, 200, response);
  env.stats.usage({ prompt_tokens: response.usage.prompt_tokens, completion_tokens: 0 });
}

function stripDefaults(d: MockDirectives): Partial<MockDirectives> {
  const { hang: _h, garbage: _g, ...rest } = d;
  return rest;
}

export function modelsList(): unknown {
  return { object: "list", data: MOCK_MODELS.map(modelObject) };
}

function modelObject(id: string): unknown {
  return { id, object: "model", created: MODEL_CREATED, owned_by: "sidegate-mock" };
}

export function handleModel(ctx: RequestCtx, id: string): void {
  if (MOCK_MODELS.includes(id)) sendJson(ctx, 200, modelObject(id));
  else sendError(ctx, modelNotFound(id));
}


