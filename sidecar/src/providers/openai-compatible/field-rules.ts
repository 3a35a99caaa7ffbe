import { ProxyError } from "../../errors/proxy-error";
import type { FieldRule } from "./vendor-quirks";

export type FieldRuleEntries = readonly (readonly [string, FieldRule])[];

/**
 * Throws `invalid_request` (param = field) for a present field whose rule rejects it; returns whether any
 * present field is dropped or renamed (the body then has to be rewritten).
 */
export function checkFieldRules(json: Readonly<Record<string, unknown>>, entries: FieldRuleEntries): boolean {
  let rewrite = false;
  for (const [field, rule] of entries) {
    const value = json[field];
    if (value === undefined) continue;
    if (rule.action === "reject") {
      if (rule.unless === undefined || JSON.stringify(value) !== rule.unless) {
        throw new ProxyError("invalid_request", `'${field}' is not supported by this provider: ${rule.reason}`, field);
      }
    } else rewrite = true;
  }
  return rewrite;
}

/** Drops and renames the present fields of `copy` in place per the rules (rejections were checked before). */
export function applyFieldRules(copy: Record<string, unknown>, entries: FieldRuleEntries): void {
  for (const [field, rule] of entries) {
    if (copy[field] === undefined || rule.action === "reject") continue;
    const value = copy[field];
    delete copy[field];
    if (rule.action === "rename") copy[rule.to] = value;
  }
}
