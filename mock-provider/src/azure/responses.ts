/**
 * Azure OpenAI wire details on top of the OpenAI mock's plan (pure): Responsible-AI annotations on bodies and
 * chunks, the annotation-only first stream chunk and a delta-less annotation chunk, and Azure error bodies
 * (`{"error":{"code","message"}}`, no `type`; 400 = content filter with `innererror`).
 */
import { buildStreamFrames } from "../chunks";
import { completionResponse } from "../completion";
import type { CompletionPlan } from "../types";

export const AZURE_MODEL = "gpt-4o-2024-08-06";

const SAFE = { filtered: false, severity: "safe" };
export const CONTENT_FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
export const PROMPT_FILTER_RESULTS = [
  { prompt_index: 0, content_filter_results: { ...CONTENT_FILTER_RESULTS, jailbreak: { filtered: false, detected: false } } },
];

export function azureCompletion(plan: CompletionPlan): unknown {
  const body = completionResponse({ ...plan, model: AZURE_MODEL });
  return {
    ...body,
    choices: body.choices.map((c) => ({ ...c, content_filter_results: CONTENT_FILTER_RESULTS })),
    prompt_filter_results: PROMPT_FILTER_RESULTS,
  };
}

const data = (o: unknown): string => `data: ${JSON.stringify(o)}\n\n`;

/** SSE frames as Azure sends them: annotation-only first chunk, annotated chunks, an annotation chunk before the finish. */
export function azureStreamFrames(plan: CompletionPlan, includeUsage: boolean): string[] {
  const { frames } = buildStreamFrames({ ...plan, model: AZURE_MODEL }, includeUsage);
  const out = [data({ choices: [], created: 0, id: "", model: "", object: "", prompt_filter_results: PROMPT_FILTER_RESULTS })];
  for (const frame of frames) {
    if (frame.startsWith("data: [DONE]")) {
      out.push(frame);
      continue;
    }
    const chunk = JSON.parse(frame.slice(6)) as { choices: Array<{ finish_reason: unknown; delta: object; [k: string]: unknown }> };
    if (chunk.choices.some((c) => c.finish_reason !== null)) {
      out.push(data({ choices: [{ index: 0, finish_reason: null, content_filter_results: CONTENT_FILTER_RESULTS, content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 1 } }], created: 0, id: "", model: "", object: "" }));
    }
    for (const c of chunk.choices) c["content_filter_results"] = Object.keys(c.delta).length === 0 ? {} : CONTENT_FILTER_RESULTS;
    out.push(data(chunk));
  }
  return out;
}

export interface AzureError {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export function azureError(status: number, message: string, code: string = String(status), headers: Record<string, string> = {}): AzureError {
  return { status, body: { error: { code, message } }, headers };
}

/** `[mock:error=STATUS]` the Azure way (400 = prompt blocked by the content filter). */
export function injectedAzureError(status: number, retryAfter?: string): AzureError {
  if (status === 400) {
    return {
      status,
      headers: {},
      body: {
        error: {
          message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
          type: null,
          param: "prompt",
          code: "content_filter",
          status: 400,
          innererror: { code: "ResponsibleAIPolicyViolation", content_filter_result: { ...CONTENT_FILTER_RESULTS, violence: { filtered: true, severity: "high" } } },
        },
      },
    };
  }
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) {
    headers["retry-after"] = retryAfter;
    headers["retry-after-ms"] = String(Math.round(Number(retryAfter) * 1000));
  }
  if (status === 429) {
    headers["x-ratelimit-remaining-requests"] = "0";
    headers["x-ratelimit-remaining-tokens"] = "-1";
    return azureError(429, "Requests to the ChatCompletions_Create Operation have exceeded call rate limit of your current tier (injected by mock).", "429", headers);
  }
  return azureError(status, `Injected error ${status} (mock).`, String(status), headers);
}
