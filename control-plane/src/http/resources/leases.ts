import { ApiError } from "../../errors/codes";
import { leasesOut } from "../schemas";
import { ok, type RouteDef } from "../types";

/** Read-only view of the capacity leases sidecars hold (QuotaService). */
export const leaseRoutes: readonly RouteDef[] = [
  {
    method: "GET", path: "/api/v1/leases", name: "leases.list", auth: true, access: "read",
    summary: "Capacity leases held by sidecars, per limit key (settled = false while rebuilding after a restart)",
    responses: { 200: leasesOut },
    handler: async (_req, ctx) => {
      if (ctx.leases === undefined) throw new ApiError("not_found", "No lease service in this process.");
      const s = ctx.leases();
      return ok({
        settled: s.settled,
        data: s.limits.map((l) => ({
          limit_key: l.limitKey,
          outstanding: l.outstanding,
          holders: l.holders.map((h) => ({ sidecar_id: h.sidecarId, held: h.held, wanted: h.wanted })),
        })),
      });
    },
  },
];
