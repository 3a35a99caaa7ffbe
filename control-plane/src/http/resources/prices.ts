import { ApiError } from "../../errors/codes";
import { priceCatalogJson } from "../governance-presenters";
import { priceCatalogOut, priceCatalogSummaryOut, pricesPutSchema, pricesQuerySchema } from "../governance-schemas";
import { afterCommit } from "../publish";
import { errorOut, listOf } from "../schemas";
import { changed, ok, type RouteDef } from "../types";
import { validate } from "../validate";

/** `2026-12-03T10-15-00Z`: the default version of a catalog written through the API. */
const timestampVersion = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace(/:/g, "-") + "Z";

/** The versioned price catalog (USD per 1M tokens). A PUT records a new version and publishes it to every sidecar. */
export const priceRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/prices", name: "prices.get", auth: true, access: "read",
    summary: "The live price catalog, or an older one with `version`", query: pricesQuerySchema,
    responses: { 200: priceCatalogOut, 404: errorOut },
    handler: async (req, ctx) => {
      const q = validate(pricesQuerySchema, req.query, "query");
      const [catalog, live] = await Promise.all([ctx.store.getPriceCatalog(q.version), ctx.store.getPriceCatalog()]);
      if (!catalog) throw new ApiError("not_found", "No such price catalog version.");
      return ok(priceCatalogJson(catalog, live?.version));
    },
  },
  {
    method: "GET", path: "/api/v1/prices/versions", name: "prices.versions", auth: true, access: "read",
    summary: "Every price catalog version, newest first", responses: { 200: listOf(priceCatalogSummaryOut) },
    handler: async (_req, ctx) => {
      const all = await ctx.store.listPriceCatalogs();
      const live = all[0]?.version;
      return ok({
        data: all.map((c) => {
          const { prices: _prices, ...summary } = priceCatalogJson(c, live);
          return { ...summary, models: c.prices.length };
        }),
      });
    },
  },
  {
    method: "PUT", path: "/api/v1/prices", name: "prices.put", auth: true, access: "org", audit: { resource: "prices", action: "update" },
    summary: "Replace the catalog: records a new version (409 if `version` exists) and publishes it to every sidecar",
    body: pricesPutSchema, responses: { 201: priceCatalogOut, 400: errorOut, 409: errorOut },
    handler: async (req, ctx) => {
      const b = validate(pricesPutSchema, req.body);
      const now = ctx.now();
      const version = b.version ?? timestampVersion(now);
      const previous = await ctx.store.getPriceCatalog();
      const m = await ctx.store.putPriceCatalog(
        {
          version, createdBy: req.actor.tokenId, note: b.note ?? "",
          prices: b.prices.map((p) => ({
            provider: p.provider, model: p.model, inputPerMtok: p.input_per_mtok, outputPerMtok: p.output_per_mtok,
            cachedInputPerMtok: p.cached_input_per_mtok ?? 0, cacheWritePerMtok: p.cache_write_per_mtok ?? 0,
            reasoningPerMtok: p.reasoning_per_mtok ?? 0, catalogVersion: version,
          })),
        },
        now,
      );
      const after = priceCatalogJson(await afterCommit(ctx, m.value), version);
      return changed(after, 201, { resourceId: version, teamId: "", before: previous ? priceCatalogJson(previous, previous.version) : null, after });
    },
  },
];
