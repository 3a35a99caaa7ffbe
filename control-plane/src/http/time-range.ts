import { invalid } from "./validate";

/** Parses optional `from`/`to` ISO bounds (from inclusive, to exclusive); 400 when to < from. */
export function timeRange(q: { readonly from?: string | undefined; readonly to?: string | undefined }): { fromMs?: number; toMs?: number } {
  const fromMs = q.from === undefined ? undefined : Date.parse(q.from);
  const toMs = q.to === undefined ? undefined : Date.parse(q.to);
  if (fromMs !== undefined && toMs !== undefined && toMs < fromMs) invalid("The query is invalid.", [{ path: "to", message: "must not be before from" }]);
  return { ...(fromMs !== undefined ? { fromMs } : {}), ...(toMs !== undefined ? { toMs } : {}) };
}
