import type { Limits } from "./types";

export const NO_LIMITS: Limits = Object.freeze({
  rpm: 0, tpm: 0, maxConcurrent: 0, budgets: Object.freeze([]), modelLimits: Object.freeze({}),
});
