import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isTimeZone, periodWindow } from "./periods";

const at = (iso: string): number => Date.parse(iso);
const win = (period: "day" | "week" | "month" | "lifetime", timezone: string, now: string) => {
  const w = periodWindow({ period, timezone }, at(now));
  return [new Date(w.startMs).toISOString(), Number.isFinite(w.endMs) ? new Date(w.endMs).toISOString() : "never"];
};

describe("periodWindow", () => {
  it("aligns days, ISO weeks and months in UTC by default", () => {
    assert.deepEqual(win("day", "", "2026-03-10T23:59:59.999Z"), ["2026-03-10T00:00:00.000Z", "2026-03-11T00:00:00.000Z"]);
    // 2026-03-08 is a Sunday: its week started Monday 2026-03-02.
    assert.deepEqual(win("week", "", "2026-03-08T12:00:00Z"), ["2026-03-02T00:00:00.000Z", "2026-03-09T00:00:00.000Z"]);
    assert.deepEqual(win("week", "", "2026-03-09T00:00:00Z"), ["2026-03-09T00:00:00.000Z", "2026-03-16T00:00:00.000Z"]);
    assert.deepEqual(win("month", "", "2026-12-31T10:00:00Z"), ["2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"]);
    assert.deepEqual(win("month", "UTC", "2028-02-29T10:00:00Z"), ["2028-02-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z"]);
  });

  it("aligns to local midnight in the budget's time zone", () => {
    // 23:30 UTC on the 10th is already the 11th in Berlin (UTC+1 in winter).
    assert.deepEqual(win("day", "Europe/Berlin", "2026-01-10T23:30:00Z"), ["2026-01-10T23:00:00.000Z", "2026-01-11T23:00:00.000Z"]);
    assert.deepEqual(win("month", "America/New_York", "2026-02-01T03:00:00Z"), ["2026-01-01T05:00:00.000Z", "2026-02-01T05:00:00.000Z"]);
    assert.deepEqual(win("day", "Asia/Kolkata", "2026-06-01T00:00:00Z"), ["2026-05-31T18:30:00.000Z", "2026-06-01T18:30:00.000Z"]);
  });

  it("handles days that are 23 or 25 hours long across DST changes", () => {
    // Europe/Berlin springs forward on 2026-03-29 and falls back on 2026-10-25.
    assert.deepEqual(win("day", "Europe/Berlin", "2026-03-29T12:00:00Z"), ["2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z"]);
    assert.deepEqual(win("day", "Europe/Berlin", "2026-10-25T12:00:00Z"), ["2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z"]);
    assert.deepEqual(win("month", "Europe/Berlin", "2026-03-31T12:00:00Z"), ["2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z"]);
  });

  it("lifetime never resets; time zones are validated", () => {
    assert.deepEqual(win("lifetime", "", "2026-03-10T00:00:00Z"), ["1970-01-01T00:00:00.000Z", "never"]);
    assert.equal(isTimeZone("Europe/Berlin"), true);
    assert.equal(isTimeZone("Mars/Olympus"), false);
  });
});
