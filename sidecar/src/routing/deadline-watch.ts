/**
 * One coarse timer for every upstream timeout in the process. An in-flight attempt registers itself with
 * its next deadline (connect, first token, idle between chunks, total — whichever comes first) and moves
 * it by assigning a number; a single interval scans the set. That costs one Set insert and delete per
 * attempt instead of a timer per deadline per request, at a precision of one tick (50 ms by default),
 * which is ample for timeouts measured in seconds.
 */
export interface Watched {
  /** Absolute time (the watch's clock) after which `expire` is called; Infinity = none. */
  deadline: number;
  expire(now: number): void;
}

export class DeadlineWatch {
  private readonly items = new Set<Watched>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly tickMs = 50,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  now(): number {
    return this.clock();
  }

  add(item: Watched): void {
    this.items.add(item);
    if (this.timer === null) {
      this.timer = setInterval(() => this.tick(this.clock()), this.tickMs);
      this.timer.unref();
    }
  }

  delete(item: Watched): void {
    this.items.delete(item);
  }

  get size(): number {
    return this.items.size;
  }

  /** Expires every item past its deadline (called by the interval; public for tests). */
  tick(now: number): void {
    for (const item of this.items) {
      if (item.deadline <= now) {
        this.items.delete(item);
        item.expire(now);
      }
    }
    if (this.items.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.items.clear();
  }
}
