/**
 * One coarse timer for every upstream timeout in the process. An in-flight attempt registers itself with
 * its next deadline (connect, first token, idle between chunks, total — whichever comes first) and moves
 * it by assigning a number; a single interval scans the registered items. Add and delete are O(1) and
 * allocate nothing: each item carries its slot in the watch's array (a Set would rehash, and its
 * tables would be garbage, as its size swings with the load). Precision is one tick (50 ms by default),
 * ample for timeouts measured in seconds.
 */
export interface Watched {
  /** Absolute time (the watch's clock) after which `expire` is called; Infinity = none. */
  deadline: number;
  /** The item's slot in the watch that holds it; -1 when in none (the watch maintains it). */
  watchSlot: number;
  expire(now: number): void;
}

export class DeadlineWatch {
  private readonly items: Watched[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly tickMs = 50,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  now(): number {
    return this.clock();
  }

  add(item: Watched): void {
    if (item.watchSlot >= 0) return;
    item.watchSlot = this.items.length;
    this.items.push(item);
    if (this.timer === null) {
      this.timer = setInterval(() => this.tick(this.clock()), this.tickMs);
      this.timer.unref();
    }
  }

  delete(item: Watched): void {
    const slot = item.watchSlot;
    if (slot < 0 || this.items[slot] !== item) return;
    const last = this.items.pop() as Watched;
    if (last !== item) {
      this.items[slot] = last;
      last.watchSlot = slot;
    }
    item.watchSlot = -1;
  }

  get size(): number {
    return this.items.length;
  }

  /** Expires every item past its deadline (called by the interval; public for tests). */
  tick(now: number): void {
    const items = this.items;
    // Backwards, so the swap-in from the end on delete never skips an item not yet looked at.
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (item === undefined || item.deadline > now) continue;
      this.delete(item);
      item.expire(now);
    }
    if (items.length === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const item of this.items) item.watchSlot = -1;
    this.items.length = 0;
  }
}
