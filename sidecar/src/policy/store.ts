import type { PolicyIndex } from "./snapshot";

/** Holds the current policy index. Readiness = a valid snapshot has been applied. Swapped whole. */
export class PolicyStore<T> {
  private index: PolicyIndex<T> | null = null;
  private appliedAt = 0;
  private waiters: Array<() => void> = [];

  get current(): PolicyIndex<T> | null {
    return this.index;
  }

  /** 0 when nothing is held. */
  get version(): number {
    return this.index?.version ?? 0;
  }

  get ready(): boolean {
    return this.index !== null;
  }

  /** Wall-clock ms of the last applied update (0 = never). */
  get lastAppliedAtMs(): number {
    return this.appliedAt;
  }

  set(index: PolicyIndex<T>, nowMs: number): void {
    this.index = index;
    this.appliedAt = nowMs;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once a snapshot is held; rejects after `timeoutMs`. */
  waitReady(timeoutMs: number): Promise<void> {
    if (this.index !== null) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error(`no valid policy snapshot within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }
}
