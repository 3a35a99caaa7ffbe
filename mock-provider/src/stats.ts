import type { MockRequestInfo, MockStats, Usage } from "./types";

export function emptyStats(): MockStats {
  return {
    requests: { total: 0, byPath: {}, aborted: 0 },
    streams: { started: 0, completed: 0, aborted: 0, closedByMock: 0 },
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    errorsInjected: 0,
    lastRequest: null,
  };
}

/** Mutable counters behind `handle.stats()`; `snapshot()` returns a deep copy. */
export class StatsRecorder {
  private s: MockStats = emptyStats();

  request(info: MockRequestInfo): void {
    this.s.requests.total++;
    this.s.requests.byPath[info.path] = (this.s.requests.byPath[info.path] ?? 0) + 1;
    this.s.lastRequest = info;
  }

  /** Fill in the body of the last request once it has been read and parsed. */
  body(info: MockRequestInfo, body: unknown): void {
    info.body = body;
  }

  requestAborted(): void {
    this.s.requests.aborted++;
  }

  streamStarted(): void {
    this.s.streams.started++;
  }

  streamCompleted(): void {
    this.s.streams.completed++;
  }

  streamAborted(): void {
    this.s.streams.aborted++;
  }

  streamClosedByMock(): void {
    this.s.streams.closedByMock++;
  }

  errorInjected(): void {
    this.s.errorsInjected++;
  }

  usage(u: Pick<Usage, "prompt_tokens" | "completion_tokens">): void {
    this.s.usage.prompt_tokens += u.prompt_tokens;
    this.s.usage.completion_tokens += u.completion_tokens;
    this.s.usage.total_tokens += u.prompt_tokens + u.completion_tokens;
  }

  snapshot(): MockStats {
    return structuredClone(this.s);
  }

  reset(): void {
    this.s = emptyStats();
  }
}
