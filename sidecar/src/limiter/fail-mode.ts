/** What a limit does once its lease expired and the control plane cannot be reached. */
export type FailMode = "share" | "open" | "closed";

export type LimitKind = "rpm" | "tpm" | "concurrency" | "budget";

export type FailModes = Readonly<Record<LimitKind, FailMode>>;

/**
 * Defaults: rate and concurrency limits keep a conservative static share (limit / sidecars last seen);
 * hard budgets close (a financial control never runs unmetered).
 */
export const DEFAULT_FAIL_MODES: FailModes = Object.freeze({ rpm: "share", tpm: "share", concurrency: "share", budget: "closed" });
