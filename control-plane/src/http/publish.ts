import type { AdminContext } from "./types";

/**
 * After a committed mutation: rebuild and broadcast the snapshot before answering, so a client that saw
 * the answer can rely on sidecars being updated within milliseconds. A failed rebuild does not undo the
 * committed change; it is logged and sidecars keep their last good snapshot until the next mutation.
 */
export async function afterCommit<T>(ctx: AdminContext, value: T): Promise<T> {
  try {
    await ctx.publisher.refresh();
  } catch (err) {
    ctx.logger.error({ err }, "policy snapshot rebuild failed after a committed change");
  }
  return value;
}
