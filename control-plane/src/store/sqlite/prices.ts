import type { Database } from "better-sqlite3";
import type { Price } from "../../domain/types";

interface PriceRow {
  provider: string;
  model: string;
  input_per_mtok: number;
  output_per_mtok: number;
  cached_input_per_mtok: number;
  cache_write_per_mtok: number;
  reasoning_per_mtok: number;
  catalog_version: string;
}

const toPrice = (r: PriceRow): Price => ({
  provider: r.provider,
  model: r.model,
  inputPerMtok: r.input_per_mtok,
  outputPerMtok: r.output_per_mtok,
  cachedInputPerMtok: r.cached_input_per_mtok,
  cacheWritePerMtok: r.cache_write_per_mtok,
  reasoningPerMtok: r.reasoning_per_mtok,
  catalogVersion: r.catalog_version,
});

/** Prepared statements over `prices` (read-only until the prices admin API lands). */
export function createPricesTable(db: Database) {
  const list = db.prepare<[], PriceRow>("SELECT * FROM prices ORDER BY provider, model");
  return { list: (): Price[] => list.all().map(toPrice) };
}
