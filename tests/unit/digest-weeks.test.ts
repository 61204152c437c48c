// ISO 8601 weeks, the digest's unit of "once": year boundaries and 53-week years.
import { describe, expect, it } from "vitest";
import {
  addWeeks,
  dateInWeek,
  isIsoWeek,
  isoWeekOf,
  weekStart,
  weeksBetween,
  weeksInYear,
} from "#app/models/digest/weeks.ts";

const at = (iso: string) => Date.parse(iso);

describe("ISO weeks", () => {
  it.each([
    ["2026-11-24T10:00:00Z", "2026-W48"],
    ["2026-11-23T00:00:00Z", "2026-W48"], // Monday 00:00 starts the week
    ["2026-11-22T23:59:59Z", "2026-W47"], // Sunday night still ends the one before
    ["2021-01-03T12:00:00Z", "2020-W53"], // 2020 has 53 weeks; 3 January 2021 is in its last
    ["2021-01-04T00:00:00Z", "2021-W01"],
    ["2024-12-30T09:00:00Z", "2025-W01"], // 30 December in next year's week 1
    ["2027-01-01T09:00:00Z", "2026-W53"], // 2026 has 53 weeks
    ["2023-01-01T09:00:00Z", "2022-W52"],
  ])("%s is in %s", (instant, week) => {
    expect(isoWeekOf(at(instant))).toBe(week);
  });

  it("knows which years have 53 weeks", () => {
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2021)).toBe(52);
    expect(weeksInYear(2025)).toBe(52);
  });

  it("accepts only real weeks", () => {
    expect(isIsoWeek("2026-W53")).toBe(true);
    expect(isIsoWeek("2025-W53")).toBe(false);
    expect(isIsoWeek("2026-W00")).toBe(false);
    expect(isIsoWeek("2026-W54")).toBe(false);
    expect(isIsoWeek("2026-w48")).toBe(false);
    expect(isIsoWeek("2026W48")).toBe(false);
    expect(isIsoWeek("")).toBe(false);
  });

  it("starts on Monday 00:00 UTC and counts across year ends", () => {
    expect(new Date(weekStart("2026-W48")!).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(new Date(weekStart("2025-W01")!).toISOString()).toBe("2024-12-30T00:00:00.000Z");
    expect(addWeeks("2026-W52", 1)).toBe("2026-W53");
    expect(addWeeks("2026-W53", 1)).toBe("2027-W01");
    expect(addWeeks("2021-W01", -1)).toBe("2020-W53");
    expect(weeksBetween("2026-W52", "2027-W02")).toBe(3);
    expect(dateInWeek("2026-W53", 5)).toBe("2027-01-01");
  });
});
