import type { VersionedSnapshot } from "../domain/types";

/**
 * One subscriber's view: `next()` resolves with the newest snapshot it has not seen yet (waiting for one
 * if needed), or `undefined` once the subscription or the broadcaster is closed. A slow reader never
 * builds a queue: versions published while it was busy are skipped, it gets only the latest.
 */
export interface Subscription {
  next(): Promise<VersionedSnapshot | undefined>;
  close(): void;
}

interface Subscriber {
  delivered: number;
  closed: boolean;
  waiting: ((value: VersionedSnapshot | undefined) => void) | undefined;
}

/** Holds the current versioned policy snapshot and hands it to every subscriber, coalescing for slow ones. */
export class Broadcaster {
  #current: VersionedSnapshot | undefined;
  #closed = false;
  readonly #subscribers = new Set<Subscriber>();

  get current(): VersionedSnapshot | undefined {
    return this.#current;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Publishes a snapshot. Ignored unless strictly newer than the current one. Returns whether it was taken. */
  publish(update: VersionedSnapshot): boolean {
    if (this.#closed || (this.#current !== undefined && update.version <= this.#current.version)) return false;
    this.#current = update;
    for (const s of this.#subscribers) {
      const resolve = s.waiting;
      if (resolve === undefined) continue;
      s.waiting = undefined;
      s.delivered = update.version;
      resolve(update);
    }
    return true;
  }

  /** The first `next()` yields the current snapshot (once there is one), later calls only newer ones. */
  subscribe(): Subscription {
    const s: Subscriber = { delivered: 0, closed: false, waiting: undefined };
    if (!this.#closed) this.#subscribers.add(s);
    const finish = (): void => {
      s.closed = true;
      this.#subscribers.delete(s);
      const resolve = s.waiting;
      s.waiting = undefined;
      resolve?.(undefined);
    };
    return {
      next: () => {
        if (s.closed || this.#closed) return Promise.resolve(undefined);
        const cur = this.#current;
        if (cur !== undefined && cur.version > s.delivered) {
          s.delivered = cur.version;
          return Promise.resolve(cur);
        }
        if (s.waiting !== undefined) return Promise.reject(new Error("next() called while a previous next() is pending"));
        return new Promise((resolve) => {
          s.waiting = resolve;
        });
      },
      close: finish,
    };
  }

  /** Ends every subscription (their pending `next()` resolves with undefined) and refuses new publishes. */
  close(): void {
    this.#closed = true;
    for (const s of [...this.#subscribers]) {
      s.closed = true;
      const resolve = s.waiting;
      s.waiting = undefined;
      resolve?.(undefined);
    }
    this.#subscribers.clear();
  }
}
