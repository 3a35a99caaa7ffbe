import type { PeriodWindow } from "../domain/periods";
import type { SpendScope } from "../domain/types";
import type { RequestRecord } from "../domain/usage-types";
import type { Store } from "../store/types";

/**
 * Recorded spend per team/key and period, read from the usage tables (the authoritative source) and
 * cached until the next stored usage batch touching that team or key. A read racing a batch is not
 * cached (generation check), so the cache never holds a value older than an acknowledged batch.
 */
export class SpendLedger {
  private readonly cache = new Map<string, Map<number, number>>();
  private readonly generation = new Map<string, number>();

  constructor(private readonly store: Store) {}

  async spent(who: SpendScope, window: PeriodWindow): Promise<number> {
    const id = `${who.scope}:${who.id}`;
    const hit = this.cache.get(id)?.get(window.startMs);
    if (hit !== undefined) return hit;
    const before = this.generation.get(id) ?? 0;
    const value = await this.store.spendBetween(who, window.startMs, window.endMs);
    if ((this.generation.get(id) ?? 0) === before) {
      let periods = this.cache.get(id);
      if (periods === undefined) this.cache.set(id, (periods = new Map()));
      periods.set(window.startMs, value);
    }
    return value;
  }

  /** Called after a usage batch is committed and before it is acknowledged. */
  invalidate(records: readonly RequestRecord[]): void {
    for (const r of records) {
      if (r.costUsd === 0) continue;
      this.bump(`team:${r.teamId}`);
      this.bump(`key:${r.keyId}`);
    }
  }

  private bump(id: string): void {
    this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
    this.cache.delete(id);
  }
}
