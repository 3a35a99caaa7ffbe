import type { Database } from "better-sqlite3";
import type { Price, PriceCatalog } from "../../domain/types";
import { parseJson } from "./codec";

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

interface CatalogRow {
  version: string;
  created_by: string;
  created_at: number;
  note: string;
  prices: string;
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

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

function catalogPrices(text: string, version: string): Price[] {
  const v = parseJson(text);
  if (!Array.isArray(v)) return [];
  return v.map((x: unknown) => {
    const o = (x ?? {}) as Record<string, unknown>;
    return {
      provider: str(o["provider"]), model: str(o["model"]), inputPerMtok: num(o["inputPerMtok"]), outputPerMtok: num(o["outputPerMtok"]),
      cachedInputPerMtok: num(o["cachedInputPerMtok"]), cacheWritePerMtok: num(o["cacheWritePerMtok"]),
      reasoningPerMtok: num(o["reasoningPerMtok"]), catalogVersion: version,
    };
  });
}

const toCatalog = (r: CatalogRow): PriceCatalog => ({
  version: r.version, createdBy: r.created_by, createdAtMs: r.created_at, note: r.note, prices: catalogPrices(r.prices, r.version),
});

/** Prepared statements over `prices` (the live catalog) and `price_catalogs` (every version, append-only). */
export function createPricesTable(db: Database) {
  const list = db.prepare<[], PriceRow>("SELECT * FROM prices ORDER BY provider, model");
  const clear = db.prepare("DELETE FROM prices");
  const insert = db.prepare<[Record<string, unknown>]>(
    `INSERT INTO prices (provider, model, input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok,
       reasoning_per_mtok, catalog_version)
     VALUES (@provider, @model, @inputPerMtok, @outputPerMtok, @cachedInputPerMtok, @cacheWritePerMtok, @reasoningPerMtok, @catalogVersion)`,
  );
  const catalogs = db.prepare<[], CatalogRow>("SELECT * FROM price_catalogs ORDER BY seq DESC");
  const catalog = db.prepare<[string], CatalogRow>("SELECT * FROM price_catalogs WHERE version = ?");
  const latest = db.prepare<[], CatalogRow>("SELECT * FROM price_catalogs ORDER BY seq DESC LIMIT 1");
  const record = db.prepare<[string, string, number, string, string]>(
    "INSERT INTO price_catalogs (version, created_by, created_at, note, prices) VALUES (?, ?, ?, ?, ?)",
  );
  return {
    list: (): Price[] => list.all().map(toPrice),
    catalogs: (): PriceCatalog[] => catalogs.all().map(toCatalog),
    catalog: (version: string): PriceCatalog | undefined => {
      const r = catalog.get(version);
      return r ? toCatalog(r) : undefined;
    },
    latest: (): PriceCatalog | undefined => {
      const r = latest.get();
      return r ? toCatalog(r) : undefined;
    },
    /** Records `c` as a new version and makes it the live catalog. Run inside a transaction. */
    install: (c: Omit<PriceCatalog, "createdAtMs">, now: number): PriceCatalog => {
      const rows = c.prices.map(({ catalogVersion: _v, ...p }) => p);
      record.run(c.version, c.createdBy, now, c.note, JSON.stringify(rows));
      clear.run();
      for (const p of rows) insert.run({ ...p, catalogVersion: c.version });
      return { ...c, createdAtMs: now, prices: rows.map((p) => ({ ...p, catalogVersion: c.version })) };
    },
  };
}
