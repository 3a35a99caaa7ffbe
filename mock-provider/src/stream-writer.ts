import type { RequestCtx } from "./http-io";

export interface StreamOptions {
  chunkDelayMs: number;
  /** Close the socket (from the mock's side) before writing frame N. */
  closeAt?: number;
  /** Stop writing (and never end) before frame N. */
  stallAt?: number;
  /** Called once the frame at this index has been handed to uWS. */
  usageFrameIndex: number;
  onUsage: () => void;
  onStart: () => void;
}

const CLOSE_GRACE_MS = 25;

export type StreamOutcome = "completed" | "aborted" | "closed" | "stalled";

/**
 * Write SSE frames with corked writes and onWritable backpressure. Without a chunk delay, frames are
 * batched into one cork until uWS reports backpressure.
 */
export async function writeStream(ctx: RequestCtx, frames: readonly string[], o: StreamOptions): Promise<StreamOutcome> {
  const { res } = ctx;
  let i = 0;
  let headersSent = false;
  while (i < frames.length) {
    if (i === o.closeAt) {
      if (!headersSent) res.cork(() => startHeaders(ctx, o));
      // Let what was written reach the client before the abrupt close (a close in the same tick can reset it).
      if (!(await ctx.wait(Math.max(o.chunkDelayMs, CLOSE_GRACE_MS)))) return "aborted";
      ctx.kill();
      return "closed";
    }
    if (i === o.stallAt) {
      if (!headersSent) res.cork(() => startHeaders(ctx, o));
      return "stalled";
    }
    if (i > 0 && o.chunkDelayMs > 0 && !(await ctx.wait(o.chunkDelayMs))) return "aborted";
    if (!ctx.alive) return "aborted";
    let ok = true;
    res.cork(() => {
      if (!headersSent) {
        startHeaders(ctx, o);
        headersSent = true;
      }
      do {
        ok = res.write(frames[i] as string);
        if (i === o.usageFrameIndex) o.onUsage();
        i++;
      } while (ok && o.chunkDelayMs === 0 && i < frames.length && i !== o.closeAt && i !== o.stallAt);
    });
    if (!ok && !(await ctx.drained())) return "aborted";
  }
  if (!ctx.alive) return "aborted";
  res.cork(() => res.end());
  ctx.finished = true;
  return "completed";
}

function startHeaders(ctx: RequestCtx, o: StreamOptions): void {
  ctx.res.writeStatus("200 OK");
  ctx.res.writeHeader("content-type", "text/event-stream; charset=utf-8");
  ctx.res.writeHeader("cache-control", "no-cache");
  ctx.res.writeHeader("x-request-id", ctx.requestId);
  o.onStart();
}
