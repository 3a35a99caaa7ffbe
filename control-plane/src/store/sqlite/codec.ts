import { NO_LIMITS } from "../../domain/limits";
import type { Budget, Limits, Metadata, ModelLimits } from "../../domain/types";

/** JSON column helpers. Values written by this module only, read back defensively. */
export const toJson = (value: unknown): string => JSON.stringify(value);

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function stringList(text: string): string[] {
  const v = parseJson(text);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function stringMap(text: string): Metadata {
  const v = parseJson(text);
  const out: Record<string, string> = {};
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  }
  return out;
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

export function limits(text: string): Limits {
  const v = parseJson(text);
  if (v === null || typeof v !== "object") return NO_LIMITS;
  const o = v as Record<string, unknown>;
  const budgets = Array.isArray(o["budgets"]) ? (o["budgets"] as unknown[]).map(budget).filter((b): b is Budget => b !== undefined) : [];
  return { ...modelLimits(o), budgets, modelLimits: modelLimitsMap(o["modelLimits"]) };
}

function modelLimits(o: Record<string, unknown>): ModelLimits {
  return { rpm: num(o["rpm"]), tpm: num(o["tpm"]), maxConcurrent: num(o["maxConcurrent"]) };
}

function modelLimitsMap(v: unknown): Record<string, ModelLimits> {
  const out: Record<string, ModelLimits> = {};
  if (v === null || typeof v !== "object" || Array.isArray(v)) return out;
  for (const [model, x] of Object.entries(v)) {
    if (x !== null && typeof x === "object") out[model] = modelLimits(x as Record<string, unknown>);
  }
  return out;
}

function budget(v: unknown): Budget | undefined {
  if (v === null || typeof v !== "object") return undefined;
  const o = v as Record<string, unknown>;
  const period = o["period"];
  if (period !== "day" && period !== "week" && period !== "month" && period !== "lifetime") return undefined;
  return {
    id: typeof o["id"] === "string" ? o["id"] : "",
    limitUsd: num(o["limitUsd"]),
    period,
    hard: o["hard"] === true,
    timezone: typeof o["timezone"] === "string" ? o["timezone"] : "",
  };
}
