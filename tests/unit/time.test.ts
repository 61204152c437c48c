// Wall-clock ↔ instant conversions and time-zone offsets, all through app/utils/time.ts (Temporal).
// The cases are the ones hand-made offset arithmetic gets wrong: a daylight-saving gap at local
// midnight (America/Santiago, America/Havana), an hour that happens twice, half- and
// quarter-hour zones, and legacy zone names that Node 20 still reports.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  endOfDay,
  isTimeZone,
  localDay,
  localHoursInUtc,
  offsetMinutes,
  sharedHours,
  startOfDay,
  timeZoneId,
  wallTimeToUtc,
} from "#app/utils/time.ts";
import { formatInZone, isValidTimeZone, windowInstants } from "#app/models/programs/window.ts";
import { profileSchema } from "#app/models/people/profile.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

describe("a wall time in a daylight-saving gap is the first instant after the gap, on the same local day", () => {
  test.each([
    // Chile springs forward at 00:00 on 2026-09-06: 00:00 does not exist, the day starts at 01:00 (-03:00).
    ["America/Santiago", "2026-09-06", "2026-09-06T04:00:00.000Z"],
    // Cuba springs forward at 00:00 on 2026-03-08: the day starts at 01:00 (-04:00).
    ["America/Havana", "2026-03-08", "2026-03-08T05:00:00.000Z"],
  ])("%s on %s", (zone, day, want) => {
    const instant = wallTimeToUtc(day, 0, zone);
    expect(iso(instant)).toBe(want);
    expect(localDay(instant, zone)).toBe(day);
    expect(startOfDay(day, zone)).toBe(instant);
  });

  test("a wall time inside the gap moves forward by the gap's length (New York, 02:30 on 2026-03-08)", () => {
    expect(iso(wallTimeToUtc("2026-03-08", 2.5 * HOUR, "America/New_York"))).toBe("2026-03-08T07:30:00.000Z");
  });

  test("an application window opening on the gap day opens that day at 01:00, and the day before ends right before it", () => {
    const w = windowInstants("2026-09-06", "2026-09-20", "America/Santiago");
    expect(iso(w.opensAt)).toBe("2026-09-06T04:00:00.000Z");
    expect(localDay(w.opensAt, "America/Santiago")).toBe("2026-09-06");
    expect(endOfDay("2026-09-05", "America/Santiago")).toBe(w.opensAt - 1);
  });
});

describe("a wall time that happens twice is its earlier instant; a day with a repeated hour ends after the repeat", () => {
  test("01:30 on 2026-11-01 in New York is the first 01:30 (EDT, -04:00)", () => {
    expect(iso(wallTimeToUtc("2026-11-01", 1.5 * HOUR, "America/New_York"))).toBe("2026-11-01T05:30:00.000Z");
  });

  test("Santiago falls back at midnight on 2026-04-05: 23:30 on the 4th happens twice; the 4th ends after the second", () => {
    expect(iso(wallTimeToUtc("2026-04-04", 23.5 * HOUR, "America/Santiago"))).toBe("2026-04-05T02:30:00.000Z");
    const closes = endOfDay("2026-04-04", "America/Santiago");
    expect(iso(closes)).toBe("2026-04-05T03:59:59.999Z");
    expect(localDay(closes, "America/Santiago")).toBe("2026-04-04");
    expect(localDay(closes + 1, "America/Santiago")).toBe("2026-04-05");
    // The window closing that day stays open through the repeated hour.
    expect(windowInstants("2026-04-01", "2026-04-04", "America/Santiago").closesAt).toBe(closes);
  });

  test("Anywhere on Earth still opens at 00:00 UTC+12 and closes at 23:59:59.999 UTC-12", () => {
    const w = windowInstants("2027-01-10", "2027-01-20", "AoE");
    expect(iso(w.opensAt)).toBe("2027-01-09T12:00:00.000Z");
    expect(iso(w.closesAt)).toBe("2027-01-21T11:59:59.999Z");
    expect(formatInZone(w.closesAt, "AoE", -12)).toBe(
      "Wednesday, 20 January 2027 at 23:59:59 Anywhere on Earth (UTC−12)",
    );
  });
});

describe("offsets match the tz database, including half- and quarter-hour zones", () => {
  const january = Date.UTC(2027, 0, 15);
  const july = Date.UTC(2027, 6, 15);
  test.each([
    ["UTC", 0, 0],
    ["Europe/Paris", 60, 120],
    ["America/New_York", -300, -240],
    ["America/St_Johns", -210, -150],
    ["America/Santiago", -180, -240],
    ["Asia/Kolkata", 330, 330],
    ["Asia/Kathmandu", 345, 345],
    ["Australia/Lord_Howe", 660, 630],
    ["Pacific/Chatham", 825, 765],
  ])("%s: %i minutes in January, %i in July", (zone, jan, jul) => {
    expect(offsetMinutes(zone, january)).toBe(jan);
    expect(offsetMinutes(zone, july)).toBe(jul);
  });

  test("an unknown zone has no offset rather than UTC's", () => {
    expect(offsetMinutes("Not/AZone", january)).toBeNull();
    expect(offsetMinutes(null, january)).toBeNull();
  });
});

describe("zone names: Temporal's spelling, legacy names still accepted", () => {
  test("case is normalised; fixed offsets and AoE are not named zones", () => {
    expect(timeZoneId("europe/paris")).toBe("Europe/Paris");
    expect(timeZoneId("+05:30")).toBeNull();
    expect(timeZoneId("AoE")).toBeNull();
    expect(timeZoneId("Not/AZone")).toBeNull();
    expect(isValidTimeZone("AoE")).toBe(true);
  });

  test("a profile's zone is stored under its current name; a fixed offset is refused", () => {
    const profile = (timezone: string) =>
      profileSchema.safeParse({ timezone, availabilityHours: "5", visibility: "public" });
    expect(profile(" europe/paris ").data?.timezone).toBe("Europe/Paris");
    expect(profile("Asia/Calcutta").data?.timezone).toBe("Asia/Kolkata");
    expect(profile("+05:30").success).toBe(false);
  });

  test("every zone the profile form offers (the runtime's list) is accepted and kept as spelled", () => {
    for (const zone of Intl.supportedValuesOf("timeZone")) expect(timeZoneId(zone)).toBe(zone);
  });

  test("Node 20's legacy names and the current IANA names are both valid and give the same offsets", () => {
    for (const [legacy, current] of [
      ["Asia/Calcutta", "Asia/Kolkata"],
      ["Europe/Kiev", "Europe/Kyiv"],
      ["Asia/Katmandu", "Asia/Kathmandu"],
    ] as const) {
      expect(isTimeZone(legacy)).toBe(true);
      expect(isTimeZone(current)).toBe(true);
      for (const at of [Date.UTC(2027, 0, 15), Date.UTC(2027, 6, 15)]) {
        expect(offsetMinutes(legacy, at)).toBe(offsetMinutes(current, at));
      }
    }
  });
});

describe("overlapping hours", () => {
  const at = Date.UTC(2027, 0, 15);
  const day = { slotMinutes: 15, days: 1 } as const;
  const zones = [
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "America/New_York",
    "America/Santiago",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Not/AZone",
  ];

  test("known overlaps: London and Kolkata share 2.5 h of 09-17; Kathmandu and UTC 2.25 h", () => {
    const hours = (a: string, b: string) =>
      sharedHours(localHoursInUtc(a, 9, 17, at, day)!, localHoursInUtc(b, 9, 17, at, day)!, 15);
    expect(hours("Europe/London", "Asia/Kolkata")).toBe(2.5);
    expect(hours("Asia/Kathmandu", "UTC")).toBe(2.25);
    expect(hours("Europe/Paris", "Europe/Paris")).toBe(8);
  });

  test("overlap is symmetric and never more than either person's hours", () => {
    const hours = fc.integer({ min: 0, max: 24 });
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...zones),
        hours,
        hours,
        hours,
        hours,
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 0, 1) }),
        (a, b, af, at2, bf, bt, when) => {
          const x = localHoursInUtc(a, af, at2, when, day);
          const y = localHoursInUtc(b, bf, bt, when, day);
          if (!x || !y) return true;
          const own = (s: Uint8Array) => sharedHours(s, s, 15);
          const shared = sharedHours(x, y, 15);
          expect(shared).toBe(sharedHours(y, x, 15));
          expect(shared).toBeLessThanOrEqual(Math.min(own(x), own(y)));
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  test("a working day that wraps past midnight is counted across it", () => {
    // 22:00-06:00 in UTC: 8 hours, the same whichever side of midnight.
    expect(sharedHours(localHoursInUtc("UTC", 22, 6, at, day)!, localHoursInUtc("UTC", 0, 24, at, day)!, 15)).toBe(8);
  });
});
