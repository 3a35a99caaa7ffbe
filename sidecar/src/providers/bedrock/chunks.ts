/**
 * Client-facing OpenAI SSE frames for one response. The constant part of every chunk (id, object, created,
 * model) is serialised once; each chunk then costs one JSON.stringify of its small delta.
 */
import type { NormalizedUsage } from "../types";
import { openAiUsage } from "./mapping";

export const DONE_FRAME = "data: [DONE]\n\n";

export class ChunkWriter {
  private readonly head: string;
  private readonly tail: string;

  constructor(
    id: string,
    created: number,
    model: string,
    private readonly includeUsage: boolean,
  ) {
    this.head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"choices":`;
    this.tail = includeUsage ? `,"usage":null}\n\n` : "}\n\n";
  }

  /** A choice-0 chunk; `usage: null` is present exactly when the client asked for the usage chunk. */
  delta(delta: Record<string, unknown>, finishReason: string | null = null): string {
    const finish = finishReason === null ? "null" : JSON.stringify(finishReason);
    return `${this.head}[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${finish}}]${this.tail}`;
  }

  /** The usage-only chunk (`choices: []`); empty when the client did not ask for it. */
  usage(usage: NormalizedUsage): string {
    return this.includeUsage ? `${this.head}[],"usage":${JSON.stringify(openAiUsage(usage))}}\n\n` : "";
  }
}
