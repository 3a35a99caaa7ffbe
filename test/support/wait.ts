type Truthy<T> = Exclude<T, undefined | null | false | 0 | "">;

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; returns the value and the time taken. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs: number,
  intervalMs = 10,
): Promise<{ value: Truthy<T>; elapsedMs: number }> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return { value: value as Truthy<T>, elapsedMs: Date.now() - started };
    } catch (err) {
      last = err;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
