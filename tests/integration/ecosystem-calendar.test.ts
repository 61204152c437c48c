// The calendar feed parsed by a real iCalendar parser (ical.js), its folding and line endings,
// the ?only= variants, programme deadlines, admins' corrections, and the release list kept per generation.
import { describe, expect, test } from "vitest";
import { APP, context } from "#tests/support/routes.ts";
import ICAL from "ical.js";
import { sql } from "drizzle-orm";

process.env.APP_URL = APP;
const { db, schema } = await import("#app/utils/db.server.ts");
const { loader: icsLoader } = await import("#app/routes/calendar[.]ics.ts");
const {
  correctRelease,
  currentReleases,
  listDjangoReleases,
  releasesOldestFirst,
  foldLine,
  calendarTimeline,
  listCalendarEvents,
} = await import("#app/models/ecosystem/releases.server.ts");

async function feed(query = "") {
  const response = (await icsLoader({
    request: new Request(`${APP}/calendar.ics${query}`),
    params: {},
    context,
  })) as Response;
  return { response, text: await response.text() };
}

function parse(text: string) {
  const component = new ICAL.Component(ICAL.parse(text));
  return component.getAllSubcomponents("vevent").map((v) => {
    const start = v.getFirstPropertyValue("dtstart") as ICAL.Time;
    return {
      uid: String(v.getFirstPropertyValue("uid")),
      summary: String(v.getFirstPropertyValue("summary")),
      description: String(v.getFirstPropertyValue("description")),
      url: String(v.getFirstPropertyValue("url")),
      start: start.toString(),
      isDate: start.isDate,
      stamp: v.getFirstPropertyValue("dtstamp"),
    };
  });
}

async function addProgram(slug: string, name: string, opensOn: string, closesOn: string) {
  await db()
    .insert(schema.programs)
    .values({
      slug,
      name,
      organisation: "Test org",
      seasonStart: "2027-01-01",
      seasonEnd: "2027-03-01",
      opensOn,
      closesOn,
      opensAt: Date.parse(`${opensOn}T00:00:00Z`),
      closesAt: Date.parse(`${closesOn}T23:59:59Z`),
      createdAt: 1,
      updatedAt: 1,
    });
}

describe("/calendar.ics", () => {
  test("is a valid iCalendar with the right content type, CRLF endings and folded lines", async () => {
    await addProgram(
      "djangonaut-space-2027",
      "Djangonaut Space session 2027 with a deliberately long name to fold",
      "2026-12-01",
      "2027-01-15",
    );
    const { response, text } = await feed();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")).toBe(true);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    // No bare LF, and no line longer than 75 octets.
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = text.split("\r\n");
    for (const line of lines) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    expect(lines.some((l) => l.startsWith(" "))).toBe(true); // something was long enough to fold
  });

  test("every event has a unique UID, a DTSTAMP and an all-day DTSTART; dates match the reference data", async () => {
    const events = parse((await feed()).text);
    expect(events.length).toBeGreaterThan(40);
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    for (const e of events) {
      expect(e.isDate).toBe(true);
      expect(e.stamp).toBeTruthy();
      expect(e.url.startsWith(`${APP}/`)).toBe(true);
    }
    const at = (uid: string) => events.find((e) => e.uid === uid);
    expect(at("django-6.0-releaseDate@roadies")?.start).toBe("2025-12-03");
    expect(at("django-6.0-alphaDate@roadies")?.start).toBe("2025-09-17");
    expect(at("django-6.0-betaDate@roadies")?.start).toBe("2025-10-22");
    expect(at("django-6.0-rcDate@roadies")?.start).toBe("2025-11-19");
    expect(at("django-4.2-extendedSupportEnd@roadies")?.start).toBe("2026-04-07");
    expect(at("django-5.2-releaseDate@roadies")?.summary).toBe("Django 5.2 LTS: final release");
    // Planned dates say so: the annual versioning after 6.2.
    // A date known only to the month says so rather than pretending to be 1 January.
    expect(at("django-2028-releaseDate@roadies")?.summary).toBe(
      "Django 2028: final release (planned for January 2028, day not announced)",
    );
    expect(at("django-2029-releaseDate@roadies")?.start).toBe("2029-01-01");
    expect(at("program-djangonaut-space-2027-deadline@roadies")?.start).toBe("2027-01-15");
    // The folded long summary comes back whole.
    expect(at("program-djangonaut-space-2027-deadline@roadies")?.summary).toBe(
      "Djangonaut Space session 2027 with a deliberately long name to fold: application deadline",
    );
  });

  test("?only=django and ?only=programs split the feed; an unknown value gives everything", async () => {
    const django = parse((await feed("?only=django")).text);
    const programs = parse((await feed("?only=programs")).text);
    const all = parse((await feed("?only=nonsense")).text);
    expect(django.every((e) => e.uid.startsWith("django-"))).toBe(true);
    expect(programs.every((e) => e.uid.startsWith("program-"))).toBe(true);
    expect(programs).toHaveLength(2);
    expect(all).toHaveLength(django.length + programs.length);
  });

  test("UIDs stay the same when an admin corrects a date", async () => {
    const [admin] = await db()
      .insert(schema.users)
      .values({ githubId: 9001, login: "wg-admin", adminFlag: true, createdAt: 1, updatedAt: 1 })
      .returning();
    const before = parse((await feed("?only=django")).text).find((e) => e.uid === "django-6.2-releaseDate@roadies")!;
    expect(before.summary).toMatch(/planned/);
    const result = await correctRelease(
      {
        version: "6.2",
        lts: true,
        dates: {
          releaseDate: { date: "2027-04-07", confirmed: true },
          alphaDate: { date: "2027-01-20", confirmed: false },
        },
      },
      admin!.id,
    );
    expect(result.changed.sort()).toEqual(["alphaDate", "releaseDate"]);
    const after = parse((await feed("?only=django")).text);
    const release = after.find((e) => e.uid === "django-6.2-releaseDate@roadies")!;
    expect(release.start).toBe("2027-04-07");
    expect(release.summary).toBe("Django 6.2 LTS: final release");
    expect(after.find((e) => e.uid === "django-6.2-alphaDate@roadies")?.summary).toMatch(/planned/);
    // The correction survives the reference seed running again at the next start.
    const { seedReference } = await import("#db/seed.ts");
    await seedReference(db());
    const r62 = (await listDjangoReleases()).find((r) => r.version === "6.2")!;
    expect(r62.dates.releaseDate).toBe("2027-04-07");
    expect(r62.confirmed.releaseDate).toBe(true);
    // An audit entry records who did it.
    const audit = await db().select().from(schema.auditLog).all();
    expect(
      audit.some((a) => a.action === "release.correct" && a.objectId === "6.2" && a.actorUserId === admin!.id),
    ).toBe(true);
  });

  test("the kept release list follows every write to the releases, and no caller can change it", async () => {
    const kept = await listDjangoReleases();
    expect(await listDjangoReleases()).toBe(kept);
    expect(() => kept.pop()).toThrow(TypeError);
    expect(() => {
      kept[0]!.dates.releaseDate = "1999-01-01";
    }).toThrow(TypeError);
    // A write from outside the app's models (a script, another instance) is seen at the next read.
    await db().run(sql`UPDATE django_releases SET python_versions = '["3.99"]' WHERE version = '6.0'`);
    const after = await listDjangoReleases();
    expect(after).not.toBe(kept);
    expect(after.find((r) => r.version === "6.0")?.pythonVersions).toEqual(["3.99"]);
  });

  test("what is kept from the shared release list is what a copy of it gives, day by day", async () => {
    const kept = await listDjangoReleases();
    for (const day of ["2023-04-05", "2026-11-24", "2026-11-24", "2030-06-01", "2023-04-05"]) {
      expect(currentReleases(kept, day)).toEqual(currentReleases([...kept], day));
    }
    const oldestFirst = releasesOldestFirst(kept);
    expect(releasesOldestFirst(kept)).toBe(oldestFirst);
    expect(oldestFirst).toEqual(releasesOldestFirst([...kept]));
    expect(oldestFirst.map((r) => r.version)).toEqual([...kept].reverse().map((r) => r.version));
  });

  test("the timeline marks the next upcoming event", async () => {
    const events = await listCalendarEvents("all");
    const { next, months } = calendarTimeline(events, "2026-11-24");
    expect(next!.date >= "2026-11-24").toBe(true);
    expect(next?.uid).toBe("program-djangonaut-space-2027-opens@roadies");
    expect(months.map((m) => m.month)).toEqual([...months.map((m) => m.month)].sort());
  });
});

describe("foldLine", () => {
  test("folds at 75 octets without splitting a multi-byte character", () => {
    const line = `SUMMARY:${"é".repeat(60)}`;
    const folded = foldLine(line).split("\r\n");
    for (const part of folded) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(folded.map((p, i) => (i ? p.slice(1) : p)).join("")).toBe(line);
  });
});
