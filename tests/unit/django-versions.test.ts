// The one Django version picker's rule (app/models/ecosystem/version-labels.ts), on the release
// calendar's reference data: end-of-life versions are not offered for new calls, future versions say
// they are not released and what is not announced, released versions carry their real dates.
import { describe, expect, test } from "vitest";
import releaseFile from "#db/reference/django-releases.json" with { type: "json" };
import { releaseMilestones, type ReleaseMilestone } from "#db/schema/ecosystem.ts";
import {
  djangoVersionOptions,
  formatReleaseDate,
  releasePhase,
  type ReleaseFacts,
} from "#app/models/ecosystem/version-labels.ts";

/** The reference file as listDjangoReleases shows it before any admin correction, newest first. */
const releases: ReleaseFacts[] = releaseFile.releases
  .map((r) => {
    const record = r as unknown as Record<ReleaseMilestone, string | null>;
    const dates = Object.fromEntries(releaseMilestones.map((m) => [m, record[m]])) as ReleaseFacts["dates"];
    const approximate = Object.fromEntries(
      releaseMilestones.map((m) => [m, Boolean(record[m]) && r.monthOnly.includes(m)]),
    ) as ReleaseFacts["approximate"];
    const confirmed = Object.fromEntries(
      releaseMilestones.map((m) => [m, r.status === "released" && Boolean(record[m]) && !approximate[m]]),
    ) as ReleaseFacts["confirmed"];
    return { version: r.version, lts: r.lts, dates, confirmed, approximate };
  })
  .reverse();

// The day these tests stand on: after 6.1's release, before 6.2's.
const today = "2026-12-06";
const versions = (picker: Parameters<typeof djangoVersionOptions>[2], keep: string[] = []) =>
  djangoVersionOptions(releases, today, picker, keep).map((o) => o.version);

describe("a new call offers supported and announced upcoming releases, never end-of-life ones", () => {
  test("3.2, 4.0, 4.1 (and every other ended release) are not offered", () => {
    const offered = versions("new-call");
    for (const ended of ["3.2", "4.0", "4.1", "4.2", "5.0", "5.1"]) expect(offered).not.toContain(ended);
    expect(offered).toEqual(["2029", "2028", "6.2", "6.1", "6.0", "5.2"]);
  });

  test("an existing call keeps its end-of-life version, labelled as such", () => {
    const options = djangoVersionOptions(releases, today, "new-call", ["4.1"]);
    const kept = options.find((o) => o.version === "4.1");
    expect(kept).toMatchObject({ phase: "ended", tag: "end of life", note: "end of life since 1 December 2023" });
  });

  test("the same version is end of life only once its extended support is over", () => {
    const r42 = releases.find((r) => r.version === "4.2")!;
    expect(releasePhase(r42, "2026-04-07")).toBe("supported");
    expect(releasePhase(r42, "2026-04-08")).toBe("ended");
  });
});

describe("future versions whose dates are not announced say so", () => {
  const byVersion = new Map(djangoVersionOptions(releases, today, "filter").map((o) => [o.version, o]));

  test("Django 2028 is expected in January 2028, not on 1 January, and its pre-releases are not announced", () => {
    expect(byVersion.get("2028")).toMatchObject({
      label: "Django 2028",
      phase: "upcoming",
      tag: "expected January 2028",
      note: "not released yet, expected January 2028; alpha, beta and release-candidate dates not announced",
    });
    expect(byVersion.get("2029")?.tag).toBe("expected January 2029");
    expect(byVersion.get("6.2")).toMatchObject({ label: "Django 6.2 LTS", tag: "expected April 2027" });
  });

  test("released and supported versions carry no warning", () => {
    expect(byVersion.get("6.1")).toMatchObject({ phase: "supported", tag: null, note: null });
  });

  test("a month-only date reads as the month", () => {
    expect(formatReleaseDate("2028-01-01", true)).toBe("January 2028");
    expect(formatReleaseDate("2025-12-03")).toBe("3 December 2025");
  });
});

describe("a profile offers the versions one can have worked with", () => {
  test("every released version, ended ones included, and no future one before its alpha", () => {
    const offered = versions("experience");
    expect(offered).toContain("3.2");
    expect(offered).toContain("6.1");
    expect(offered).not.toContain("6.2");
    expect(offered).not.toContain("2028");
  });

  test("an upcoming version is offered once its alpha is out", () => {
    const withAlpha = releases.map((r) =>
      r.version === "6.2" ? { ...r, dates: { ...r.dates, alphaDate: "2027-01-20" } } : r,
    );
    const at = (day: string) => djangoVersionOptions(withAlpha, day, "experience").map((o) => o.version);
    expect(at("2027-01-19")).not.toContain("6.2");
    expect(at("2027-01-20")).toContain("6.2");
  });
});

describe("released versions show their real pre-release dates", () => {
  test.each([
    ["4.0", "2021-09-20", "2021-10-25", "2021-11-22"],
    ["4.1", "2022-05-17", "2022-06-14", "2022-07-19"],
    ["4.2", "2023-01-16", "2023-02-20", "2023-03-20"],
    ["5.0", "2023-09-18", "2023-10-23", "2023-11-20"],
    ["6.0", "2025-09-17", "2025-10-22", "2025-11-19"],
  ])("Django %s: alpha %s, beta %s, release candidate %s", (version, alpha, beta, rc) => {
    const r = releases.find((x) => x.version === version)!;
    expect(r.dates).toMatchObject({ alphaDate: alpha, betaDate: beta, rcDate: rc });
    expect(r.confirmed).toMatchObject({ alphaDate: true, betaDate: true, rcDate: true });
  });
});
