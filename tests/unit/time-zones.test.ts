// The one time-zone list, spelling and label (app/utils/time.ts): current IANA names even where the
// runtime (ICU) still calls them by their old ones, deprecated names accepted and stored current,
// each zone named once with its offset.
import { describe, expect, test } from "vitest";
import {
  canonicalTimeZone,
  canonicalTimeZones,
  offsetMinutes,
  RENAMED_TIME_ZONES,
  timeZoneField,
  timeZoneOptions,
  zoneName,
} from "#app/utils/time.ts";
import { formatInZone, windowInstants, zoneLabel } from "#app/models/programs/window.ts";
import { profileSchema } from "#app/models/people/profile.ts";
import { applicationForm } from "#app/models/programs/application-forms.ts";
import { ProgramForm } from "#app/models/programs/forms.tsx";

const renamed = [
  ["Asia/Calcutta", "Asia/Kolkata"],
  ["Europe/Kiev", "Europe/Kyiv"],
  ["Asia/Saigon", "Asia/Ho_Chi_Minh"],
  ["Asia/Katmandu", "Asia/Kathmandu"],
  ["Asia/Rangoon", "Asia/Yangon"],
  ["America/Godthab", "America/Nuuk"],
  ["America/Buenos_Aires", "America/Argentina/Buenos_Aires"],
  ["Pacific/Truk", "Pacific/Chuuk"],
] as const;

describe("the picker lists every zone under its current IANA name", () => {
  const zones = canonicalTimeZones();

  test.each(renamed)("%s is listed as %s, and only so", (old, current) => {
    expect(zones).toContain(current);
    expect(zones).not.toContain(old);
  });

  test("no deprecated name of the rename table is left, UTC comes first, no zone twice", () => {
    for (const old of Object.keys(RENAMED_TIME_ZONES)) expect(zones).not.toContain(old);
    expect(zones[0]).toBe("UTC");
    expect(new Set(zones).size).toBe(zones.length);
    // Every other zone of the runtime is still there: nothing is lost by the mapping.
    for (const zone of Intl.supportedValuesOf("timeZone")) {
      expect(zones).toContain(RENAMED_TIME_ZONES[zone] ?? zone);
    }
  });

  test("each rename joins two names of the same place: same offsets in winter and summer", () => {
    for (const [old, current] of Object.entries(RENAMED_TIME_ZONES)) {
      for (const at of [Date.UTC(2027, 0, 15), Date.UTC(2027, 6, 15)]) {
        expect(offsetMinutes(current, at), `${old} → ${current}`).toBe(offsetMinutes(old, at));
      }
    }
  });

  test("a merge is not a rename: Amsterdam and Brussels stay two places", () => {
    expect(zones).toContain("Europe/Amsterdam");
    expect(zones).toContain("Europe/Brussels");
    expect(canonicalTimeZone("Europe/Amsterdam")).toBe("Europe/Amsterdam");
  });

  test("labels show the offset at the given instant", () => {
    const january = Date.UTC(2027, 0, 15);
    const july = Date.UTC(2027, 6, 15);
    const label = (zone: string, at: number) => timeZoneOptions(at).find((o) => o.value === zone)?.label;
    expect(label("Asia/Kolkata", january)).toBe("Asia/Kolkata (UTC+05:30)");
    expect(label("America/New_York", january)).toBe("America/New York (UTC−05:00)");
    expect(label("America/New_York", july)).toBe("America/New York (UTC−04:00)");
    expect(label("Asia/Kathmandu", july)).toBe("Asia/Kathmandu (UTC+05:45)");
    expect(label("UTC", july)).toBe("UTC");
  });
});

describe("any spelling of a zone becomes its current name", () => {
  test.each<readonly [string, string]>([
    ...renamed,
    ["asia/calcutta", "Asia/Kolkata"],
    ["Asia/Kolkata", "Asia/Kolkata"],
    ["US/Eastern", "America/New_York"],
    ["Etc/UTC", "UTC"],
    ["europe/paris", "Europe/Paris"],
  ])("%s → %s", (given, current) => {
    expect(canonicalTimeZone(given)).toBe(current);
  });

  test("fixed offsets, AoE and unknown names are not zones", () => {
    for (const bad of ["+05:30", "AoE", "Not/AZone", "", null]) expect(canonicalTimeZone(bad)).toBeNull();
  });

  test("a deprecated name is shown as its current one", () => {
    expect(zoneName("Asia/Calcutta")).toBe("Asia/Kolkata");
    expect(zoneName("Europe/Kiev", Date.UTC(2027, 0, 15))).toBe("Europe/Kyiv (UTC+02:00)");
  });
});

describe("one form rule for every time-zone field", () => {
  const profile = (timezone: string | undefined) =>
    profileSchema.safeParse({ timezone, availabilityHours: "5", visibility: "public" });

  test("a profile saved with Asia/Kolkata validates again, and a deprecated name is stored current", () => {
    const first = profile("Asia/Kolkata");
    expect(first.data?.timezone).toBe("Asia/Kolkata");
    expect(profile(first.data!.timezone).data?.timezone).toBe("Asia/Kolkata");
    expect(profile("Asia/Calcutta").data?.timezone).toBe("Asia/Kolkata");
    expect(profile("Europe/Kiev").data?.timezone).toBe("Europe/Kyiv");
  });

  test("a missing zone and a made-up one get different messages", () => {
    expect(profile(undefined).error?.issues[0]?.message).toBe("Choose your time zone.");
    expect(profile("Mars/Olympus").error?.issues[0]?.message).toMatch(/from the list/);
  });

  test("the programme application takes the same zones, or none", () => {
    const form = applicationForm([], []);
    expect(form.safeParse({ timezone: "Asia/Saigon" }).data?.draft.timezone).toBe("Asia/Ho_Chi_Minh");
    expect(form.safeParse({ timezone: "" }).data?.draft.timezone).toBeNull();
    expect(form.safeParse({}).data?.draft.timezone).toBeNull();
    expect(form.safeParse({ timezone: "Somewhere" }).success).toBe(false);
  });

  test("the programme window takes AoE or a zone, stored current; nothing given means AoE", () => {
    const window = (windowTimezone: string | undefined) =>
      ProgramForm.safeParse({
        name: "Programme",
        slug: "programme",
        organisation: "Org",
        seasonStart: "2027-01-01",
        seasonEnd: "2027-03-01",
        opensOn: "2026-12-01",
        closesOn: "2026-12-15",
        roles: "Mentee: 4",
        windowTimezone,
      }).data?.windowTimezone;
    expect(window("AoE")).toBe("AoE");
    expect(window(undefined)).toBe("AoE");
    expect(window("Asia/Rangoon")).toBe("Asia/Yangon");
    expect(timeZoneField({ also: ["AoE"] }).safeParse("+12:00").success).toBe(false);
  });
});

describe("a deadline names its zone once", () => {
  test("Anywhere on Earth", () => {
    const w = windowInstants("2027-01-10", "2027-01-20", "AoE");
    const text = formatInZone(w.closesAt, "AoE", -12);
    expect(text).toBe("Wednesday, 20 January 2027 at 23:59:59 Anywhere on Earth (UTC−12)");
    expect(text.match(/Anywhere on Earth/g)).toHaveLength(1);
    expect(formatInZone(w.opensAt, "AoE", 12)).toBe("Sunday, 10 January 2027 at 00:00:00 Anywhere on Earth (UTC+12)");
  });

  test("a named zone, even one stored under its old name", () => {
    const w = windowInstants("2026-11-01", "2026-11-30", "Asia/Calcutta");
    expect(formatInZone(w.closesAt, "Asia/Calcutta")).toBe(
      "Monday, 30 November 2026 at 23:59:59 Asia/Kolkata (UTC+05:30)",
    );
    expect(zoneLabel("AoE")).toBe("Anywhere on Earth (UTC−12)");
    expect(zoneLabel("Europe/Kiev")).toBe("Europe/Kyiv");
  });
});
