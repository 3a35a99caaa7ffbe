/**
 * Budget periods, calendar-aligned in an IANA time zone (UTC when empty): a day starts at local midnight,
 * a week on Monday at local midnight (ISO 8601), a month on the 1st. `lifetime` never resets. Pure.
 */
import type { Budget } from "./types";

export interface PeriodWindow {
  readonly startMs: number;
  /** Exclusive; Infinity for lifetime. */
  readonly endMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
}

/** Local calendar fields of `ms` in `timeZone`, and the zone's UTC offset there (local - UTC, ms). */
function wallAt(ms: number, timeZone: string): { wall: Wall; offsetMs: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const year = parts["year"] ?? 1970;
  const month = parts["month"] ?? 1;
  const day = parts["day"] ?? 1;
  const asUtc = Date.UTC(year, month - 1, day, parts["hour"] ?? 0, parts["minute"] ?? 0, parts["second"] ?? 0);
  return { wall: { year, month, day }, offsetMs: asUtc - Math.floor(ms / 1000) * 1000 };
}

/** The UTC instant of local midnight starting `wall` in `timeZone` (two passes settle DST changes). */
function localMidnight(wall: Wall, timeZone: string): number {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day);
  let guess = naive - wallAt(naive, timeZone).offsetMs;
  guess = naive - wallAt(guess, timeZone).offsetMs;
  return guess;
}

function addDays(wall: Wall, days: number): Wall {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The period of `budget` that contains `nowMs`. */
export function periodWindow(budget: Pick<Budget, "period" | "timezone">, nowMs: number): PeriodWindow {
  if (budget.period === "lifetime") return { startMs: 0, endMs: Number.POSITIVE_INFINITY };
  const tz = budget.timezone === "" ? "UTC" : budget.timezone;
  const { wall } = wallAt(nowMs, tz);
  let start: Wall;
  let next: Wall;
  if (budget.period === "day") {
    start = wall;
    next = addDays(wall, 1);
  } else if (budget.period === "week") {
    const weekday = (new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay() + 6) % 7; // Monday = 0
    start = addDays(wall, -weekday);
    next = addDays(start, 7);
  } else {
    start = { year: wall.year, month: wall.month, day: 1 };
    next = wall.month === 12 ? { year: wall.year + 1, month: 1, day: 1 } : { year: wall.year, month: wall.month + 1, day: 1 };
  }
  return { startMs: localMidnight(start, tz), endMs: localMidnight(next, tz) };
}
