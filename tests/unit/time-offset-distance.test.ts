// Distances between UTC offsets on the clock, as the people directory's time-zone range uses them:
// they wrap across the date line, and offsets typed as "UTC+1" or "-03:30" are read as people write them.
import { describe, expect, test } from "vitest";
import { offsetDistanceMinutes, parseUtcOffset, zoneOrOffsetMinutes } from "#app/utils/time.ts";

describe("distance between offsets", () => {
  test("is symmetric and at most 12 hours", () => {
    for (let a = -12 * 60; a <= 14 * 60; a += 30) {
      for (let b = -12 * 60; b <= 14 * 60; b += 90) {
        expect(offsetDistanceMinutes(a, b)).toBe(offsetDistanceMinutes(b, a));
        expect(offsetDistanceMinutes(a, b)).toBeLessThanOrEqual(12 * 60);
      }
    }
  });

  test("wraps across the date line: UTC+12 and UTC−11 are one hour apart, UTC+14 and UTC−10 none", () => {
    expect(offsetDistanceMinutes(12 * 60, -11 * 60)).toBe(60);
    expect(offsetDistanceMinutes(14 * 60, -10 * 60)).toBe(0);
    expect(offsetDistanceMinutes(60, -5 * 60)).toBe(6 * 60);
  });
});

describe("reading an offset", () => {
  test("accepts the ways people write one", () => {
    expect(parseUtcOffset("UTC+01:00")).toBe(60);
    expect(parseUtcOffset("UTC+1")).toBe(60);
    expect(parseUtcOffset("UTC\u221203:30")).toBe(-210);
    expect(parseUtcOffset("-03:30")).toBe(-210);
    expect(parseUtcOffset("GMT+14")).toBe(14 * 60);
  });

  test("refuses what is not an offset", () => {
    for (const text of ["UTC+15", "UTC+01:75", "Europe/Paris", "", "UTC", "+"]) expect(parseUtcOffset(text)).toBeNull();
  });

  test("a named zone's offset follows its daylight saving", () => {
    expect(zoneOrOffsetMinutes("Europe/Paris", Date.UTC(2026, 0, 15))).toBe(60);
    expect(zoneOrOffsetMinutes("Europe/Paris", Date.UTC(2026, 6, 15))).toBe(120);
    expect(zoneOrOffsetMinutes("UTC-03:00", Date.UTC(2026, 6, 15))).toBe(-180);
  });
});
